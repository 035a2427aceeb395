import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../../src/diff/diff.js';
import type { HistoryPoint } from '../../../src/diff/types.js';
import { HTML_CHANGES_SHOWN } from '../../../src/report/html-changes.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { renderScoreTrend, trendLayout } from '../../../src/report/svg-chart.js';
import type { ReportView } from '../../../src/report/view-model.js';
import { countStatuses } from '../../../src/score/score.js';
import { XSS_SCRIPT, sampleView } from '../../fixtures/report/views.js';
import { control, result, results } from '../diff/fixtures.js';

/** Text drawn in the PDF: inflate each content stream and decode its hex text runs. */
function drawnText(pdf: Buffer): string {
  const out: string[] = [];
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/\/Filter \/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = match.index + match[0].length;
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start))).toString('latin1');
    } catch {
      continue;
    }
    for (const run of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      out.push([...(run[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1] ?? '', 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n');
}

const point = (runId: string, startedAt: string, score: number | null): HistoryPoint => ({ runId, startedAt, score, byStatus: countStatuses(['FAIL', 'PASS']) });

function viewWithChanges(): ReportView {
  const before = results('run-old', '2026-08-01T10:00:00.000Z', [
    control('s3-bucket-default-encryption', [result(`arn:aws:s3:::${XSS_SCRIPT}`, 'PASS'), result('arn:aws:s3:::fixed-bucket', 'FAIL')]),
  ], 40);
  const after = results('run-new', '2026-11-23T18:40:00.000Z', [
    control('s3-bucket-default-encryption', [result(`arn:aws:s3:::${XSS_SCRIPT}`, 'FAIL'), result('arn:aws:s3:::fixed-bucket', 'PASS')]),
  ], 62.5);
  return {
    ...sampleView(),
    sections: ['cover', 'summary', 'changes', 'controls', 'appendix'],
    changes: {
      diff: diffResults(before, after),
      trend: [point('run-older', '2026-05-01T00:00:00.000Z', 20), point('run-old', '2026-08-01T10:00:00.000Z', 40), point('run-new', '2026-11-23T18:40:00.000Z', 62.5)],
    },
  };
}

describe('score trend chart', () => {
  it('places 100 at the top and 0 at the bottom, oldest run left, and breaks the line at a run without a score', () => {
    const layout = trendLayout([{ label: 'a', name: 'a', score: 0 }, { label: 'b', name: 'b', score: 100 }, { label: 'c', name: 'c', score: null }, { label: 'd', name: 'd', score: 50 }], 720, 240);
    expect(layout.points[0]).toMatchObject({ x: layout.xRange.from, y: layout.plot.bottom });
    expect(layout.xRange.from).toBeGreaterThan(layout.plot.left);
    expect(layout.points[1]!.y).toBe(layout.plot.top);
    expect(layout.points[3]!.x).toBe(layout.xRange.to);
    expect(layout.points[2]!.y).toBeNull();
    expect(layout.lines.map((l) => l.length)).toEqual([2, 1]);
  });

  it('is a pure, labelled SVG: same input, same bytes; values printed as text', () => {
    const points = [{ label: '2026-08-01', name: 'run-1', score: 40 }, { label: '2026-11-01', name: 'run-<2>', score: 62.5 }];
    const svg = renderScoreTrend(points, 'Security score per run');
    expect(svg).toBe(renderScoreTrend(points, 'Security score per run'));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart chart-trend"/);
    expect(svg).toContain('<polyline');
    expect(svg).toContain('>62.5</text>');
    expect(svg).toContain('run-&lt;2&gt;: 62.5');
    expect(renderScoreTrend([], 'empty')).toContain('no runs to compare');
  });

  it('thins the x-axis labels for long histories but keeps the first and the last', () => {
    const points = Array.from({ length: 40 }, (_, i) => ({ label: `d${i}`, name: `r${i}`, score: i }));
    const shown = trendLayout(points, 720, 240).points.filter((p) => p.showLabel).map((p) => p.label);
    expect(shown.length).toBeLessThanOrEqual(11);
    expect(shown[0]).toBe('d0');
    expect(shown.at(-1)).toBe('d39');
  });
});

describe('changes section', () => {
  it('renders the diff, the counts and an SVG trend in HTML, escaping AWS strings', () => {
    const html = renderHtml(viewWithChanges());
    const section = /<section id="changes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('Change since the previous run');
    expect(section).toContain('<code>run-old</code>');
    expect(section).toContain('+22.5');
    expect(section).toMatch(/<h3 id="changes-regressed">Regressed \(1\)<\/h3>/);
    expect(section).toMatch(/<h3 id="changes-fixed">Fixed \(1\)<\/h3>/);
    expect(section).toContain('arn:aws:s3:::fixed-bucket');
    expect(section).toContain('href="#control-s3-bucket-default-encryption"');
    expect(section).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-trend"');
    expect(section).toContain('<code>run-older</code>');
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).toContain('<a href="#changes">Change since the previous run</a>');
  });

  it('says no previous pack was given when the view has no changes', () => {
    const html = renderHtml({ ...sampleView(), sections: ['cover', 'changes'] });
    expect(/<section id="changes"[\s\S]*?<\/section>/.exec(html)?.[0]).toContain('No previous pack given');
    expect(html).not.toContain('chart-trend');
  });

  it('shows the trend alone when only a history was given', () => {
    const view = viewWithChanges();
    const html = renderHtml({ ...view, changes: { trend: view.changes!.trend } });
    const section = /<section id="changes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('No previous pack given');
    expect(section).toContain('chart-trend');
  });

  it('renders in the PDF with a bookmark, the lists and the trend values', async () => {
    const pdf = await renderPdf(viewWithChanges());
    const text = drawnText(pdf);
    expect(pdf.toString('latin1')).toContain('/Title (Change since the previous run)');
    expect(text).toContain('Change since the previous run');
    expect(text).toContain('Regressed (1)');
    expect(text).toContain('arn:aws:s3:::fixed-bucket');
    expect(text).toContain('62.5');
    expect(text).toContain('Score trend');
    const bare = drawnText(await renderPdf({ ...sampleView(), sections: ['cover', 'changes'] }));
    expect(bare).toContain('No previous pack given');
  });

  it('lists at most HTML_CHANGES_SHOWN changes per category in HTML, counting and naming all of them', () => {
    const n = HTML_CHANGES_SHOWN + 234;
    const ids = Array.from({ length: n }, (_, i) => `arn:aws:s3:::org-bucket-${String(i).padStart(5, '0')}`);
    const before = results('run-old', '2026-08-01T10:00:00.000Z', [control('s3-bucket-default-encryption', ids.map((id) => result(id, 'PASS')))], 100);
    const after = results('run-new', '2026-11-23T18:40:00.000Z', [control('s3-bucket-default-encryption', ids.map((id) => result(id, 'FAIL')))], 0);
    const html = renderHtml({ ...sampleView(), sections: ['cover', 'changes'], changes: { diff: diffResults(before, after), trend: [] } });
    const regressions = html.slice(html.indexOf('id="changes-regressed"'), html.indexOf('<h3', html.indexOf('id="changes-regressed"') + 1));
    expect(regressions).toContain(`(${n})`);
    expect(regressions).toContain(`Showing 1,000 of 1,234; the full list: <code>auditpack diff --json</code>.`);
    expect(regressions.match(/<tr>/g)?.length).toBe(HTML_CHANGES_SHOWN + 1);
  });
});
