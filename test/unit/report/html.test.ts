import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_DIR, formatBytes, formatTimestamp, renderHtml } from '../../../src/report/html.js';
import { donutSegments, renderSeverityBars, renderStatusDonut } from '../../../src/report/svg-chart.js';
import { XSS_ATTRIBUTE, XSS_SCRIPT, sampleView, syntheticView } from '../../fixtures/report/views.js';

const html = renderHtml(sampleView());

function templateSources(): { name: string; text: string }[] {
  const partials = readdirSync(join(TEMPLATE_DIR, 'partials')).map((f) => ({ name: `partials/${f}`, text: readFileSync(join(TEMPLATE_DIR, 'partials', f), 'utf8') }));
  return [{ name: 'report.html.hbs', text: readFileSync(join(TEMPLATE_DIR, 'report.html.hbs'), 'utf8') }, ...partials];
}

describe('renderHtml', () => {
  it('is one document with exactly one inline style and one inline script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
  });

  it('escapes AWS strings in text and attribute context', () => {
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).toContain('arn:aws:s3:::&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(html).toContain('bucket &quot;&gt;&lt;img src&#x3D;x onerror&#x3D;&quot;window.__pwned&#x3D;1&quot;&gt; is not encrypted');
    expect(html).toContain('Example &lt;Corp&gt;');
    expect(XSS_ATTRIBUTE).toContain('"');
  });

  it('never triple-stashes: only our own CSS, script and SVG are inserted unescaped', () => {
    for (const { name, text } of templateSources()) expect({ name, raw: text.includes('{{{') || text.includes('{{&') }).toEqual({ name, raw: false });
  });

  it('references nothing outside the file: no src/href/url()/@import pointing anywhere but a fragment', () => {
    const targets = [...html.matchAll(/\b(?:src|href|action|srcset|poster|data)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target).toMatch(/^#/);
    expect(html).not.toMatch(/url\(|@import|<link\b|<iframe\b|<object\b|<embed\b|<img\b/i);
  });

  it('locks itself down with a CSP that allows only its own style and script by hash', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = (s: string): string => createHash('sha256').update(s).digest('base64');
    const attribute = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const csp = attribute.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
  });

  it('is deterministic', () => {
    expect(renderHtml(sampleView())).toBe(html);
  });

  it('renders the auditor content: cover facts, chart, matrices, control detail, register and appendix', () => {
    const view = sampleView();
    for (const text of [view.meta.manifestSha256, view.meta.catalogDigest, view.meta.runId, '2026-11-23 18:46:37 UTC', '2026-10-01', '2026-12-31']) expect(html).toContain(text);
    expect(html).toMatch(/<svg[^>]+class="chart chart-donut"/);
    expect(html).toContain('<td class="wa-cell c-FAIL" title="SEC08-BP02 Enforce encryption at rest"><span class="wa-bp">BP02</span><span class="wa-lbl">FAIL</span>');
    expect(html).toContain('<span class="wa-lbl">NOT COVERED</span>');
    expect(html).toMatch(/Customer <span class="sr-count">[\s\S]*Shared <span class="sr-count">[\s\S]*AWS \(inherited\) <span class="sr-count">/);
    expect(html).toContain('id="control-s3-bucket-default-encryption"');
    expect(html).toContain('The root user can do anything.');
    expect(html).toContain('SOC 2 Type II (2026-H1)');
    for (const f of view.appendix.files) expect(html).toContain(f.sha256);
    for (const step of view.appendix.verification) expect(html).toContain(step.command.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('gives rows and controls the data attributes the filter script reads', () => {
    expect(html).toContain('data-sev="high" data-st="FAIL" data-sts="FAIL PASS" data-fw="well-architected security-hub cis-aws-3.0"');
    expect(html.match(/<tr data-st="FAIL">/g)).toHaveLength(2);
    expect(html).toContain('<td>E1</td>');
  });

  it('renders only the sections the definition asks for, in its order', () => {
    const view = { ...sampleView(), sections: ['cover', 'controls', 'appendix'] as const };
    const out = renderHtml({ ...view, sections: [...view.sections] });
    expect(out).not.toContain('id="summary"');
    expect(out).not.toContain('id="well-architected"');
    expect(out.indexOf('id="controls"')).toBeLessThan(out.indexOf('id="appendix"'));
  });

  it('collapses long result tables so 20,000 rows stay light', () => {
    const out = renderHtml(syntheticView(10, 2000));
    expect(out.match(/<tr data-st=/g)).toHaveLength(2000);
    expect(out).not.toMatch(/<details class="results" open/);
  });

  it('formats times and sizes for display only', () => {
    expect(formatTimestamp('2026-11-23T18:46:37.226Z')).toBe('2026-11-23 18:46:37 UTC');
    expect(formatTimestamp('yesterday')).toBe('yesterday');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });
});

describe('svg charts', () => {
  it('splits the ring by share in canonical status order and skips zero counts', () => {
    const segments = donutSegments([
      { status: 'FAIL', count: 1 },
      { status: 'PASS', count: 3 },
      { status: 'ERROR', count: 0 },
    ]);
    expect(segments.map((s) => [s.status, s.share])).toEqual([
      ['PASS', 0.75],
      ['FAIL', 0.25],
    ]);
    expect(segments[1]?.endAngle).toBeCloseTo(2 * Math.PI);
  });

  it('draws a single 100% status as a closed ring, labels every status in text and escapes its title', () => {
    const svg = renderStatusDonut([{ status: 'PASS', count: 7 }], { title: 'A <b> & c', centreValue: '7', centreLabel: 'controls' });
    expect(svg.match(/<path d="[^"]+"/g)).toHaveLength(1);
    expect(svg.match(/ A/g)?.length).toBeGreaterThanOrEqual(2);
    expect(svg).toContain('<title>A &lt;b&gt; &amp; c</title>');
    expect(svg).toContain('>PASS</text>');
    expect(svg).toContain('>100.0%</text>');
    expect(svg).not.toMatch(/NaN|Infinity|-0[ "]/);
  });

  it('draws an empty chart without dividing by zero, and the same input gives the same bytes', () => {
    const empty = renderStatusDonut([], { title: 'none', centreValue: '0', centreLabel: 'controls' });
    expect(empty).toContain('<circle');
    expect(empty).not.toMatch(/NaN/);
    const bars = (): string => renderSeverityBars([{ severity: 'critical', counts: { PASS: 1, FAIL: 2 } }, { severity: 'low', counts: {} }], 'by severity');
    expect(bars()).toBe(bars());
    expect(bars()).toContain('>critical</text>');
    expect(bars()).not.toMatch(/NaN/);
  });
});
