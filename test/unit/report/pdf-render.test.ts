import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/report/pdf/render.js';
import { PASSING_SHOWN, selectResults } from '../../../src/report/pdf/results-cap.js';
import { sampleReportView } from '../../fixtures/report/pdf-sample-view.js';
import { pdfSafe } from '../../../src/report/pdf/text.js';
import type { ReportView } from '../../../src/report/view-model.js';
import { createSigningIdentity, type SigningIdentity } from '../../../src/sign/certificate.js';
import { verifyPdfSignature } from '../../../src/sign/pdf-verify.js';

/** The text drawn on the pages: inflate every content stream and decode its hex text runs (WinAnsi ~ Latin-1). */
function drawnText(pdf: Buffer): string {
  const out: string[] = [];
  const raw = pdf.toString('latin1');
  const streams = /\/Filter \/FlateDecode[^>]*>>\s*stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = streams.exec(raw))) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const run of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      out.push([...(run[1] ?? '').matchAll(/<([0-9a-f]*)>/g)].map((h) => Buffer.from(h[1] ?? '', 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n');
}

/** Bookmark titles in document order: one per section, one per control. */
function bookmarks(pdf: Buffer): string[] {
  return [...pdf.toString('latin1').matchAll(/\/Title \(((?:[^()\\]|\\.)*)\)\n\/(?:Parent|Prev|Next|First|Count)/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
}

describe('renderPdf', () => {
  let identity: SigningIdentity;
  let view: ReportView;
  let unsigned: Buffer;

  beforeAll(async () => {
    identity = createSigningIdentity({ commonName: 'render test', organisation: 'Example Corp', validDays: 30 });
    view = sampleReportView();
    unsigned = await renderPdf(view);
  });

  it('writes a complete, unsigned PDF when no key is given', () => {
    expect(unsigned.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(unsigned.subarray(-6).toString('latin1')).toMatch(/%%EOF\n?$/);
    expect(unsigned.includes('/ByteRange')).toBe(false);
    expect(verifyPdfSignature(unsigned).valid).toBe(false);
  });

  it('takes its dates from the run, not the clock, so the same view gives the same bytes', async () => {
    const text = unsigned.toString('latin1');
    // Info values are indirect objects: CreationDate and ModDate are the two dates in the file, both finishedAt.
    expect([...text.matchAll(/\(D:(\d{14})Z\)/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['20261123184637']));
    expect(new Set([...text.matchAll(/\(D:(\d{14})Z\)/g)].map((m) => m[1]))).toEqual(new Set(['20261123184637']));
    expect((await renderPdf(sampleReportView())).equals(unsigned)).toBe(true);
  });

  it('signs the whole file, deterministically for the same key', async () => {
    const key = { p12: identity.p12, passphrase: identity.passphrase };
    const signed = await renderPdf(view, { sign: key });
    expect(verifyPdfSignature(signed)).toMatchObject({ valid: true, coversWholeFile: true, signer: 'render test', signedAt: '2026-11-23T18:46:37.000Z' });
    expect((await renderPdf(view, { sign: key })).equals(signed)).toBe(true);
  });

  it('renders the sections in the order of view.sections, and only those', async () => {
    expect(bookmarks(unsigned).filter((t) => !t.includes('  '))).toEqual([
      'Contents',
      'Executive summary',
      'Well-Architected security pillar',
      'Shared-responsibility matrix',
      'Control details',
      'Manual and inherited register',
      'Appendix: evidence files and verification',
    ]);
    const reordered = await renderPdf({ ...view, sections: ['cover', 'appendix', 'register', 'summary'] });
    expect(bookmarks(reordered)).toEqual(['Contents', 'Appendix: evidence files and verification', 'Manual and inherited register', 'Executive summary']);
  });

  it('has a page per control with its results, evidence hashes and remediation', () => {
    const text = drawnText(unsigned);
    const marks = bookmarks(unsigned);
    for (const control of view.controls) expect(marks).toContain(`${control.id}  ${control.title}`);
    expect(text).toContain('Framework mappings');
    expect(text).toContain('SEC08-BP02');
    expect(text).toContain(view.controls[0]?.evidenceFiles[0]?.sha256);
    expect(text).toContain('aws s3api put-bucket-encryption');
    expect(text).toMatch(/Page 3 of \d+/);
    expect(text).toContain(view.meta.manifestSha256);
  });

  it('draws hostile resource names as plain text in the fonts encoding', () => {
    const text = drawnText(unsigned);
    expect(text).toContain('<script>alert("x")</script> ? bucket?');
  });

  it('lists every failing result and summarises passing ones beyond the cap, saying so on the page', async () => {
    const big = sampleReportView({ controls: 1, resultsPerControl: 300, failEvery: 4 });
    const pdf = await renderPdf(big);
    const text = drawnText(pdf);
    const passing = big.controls[0]!.counts.PASS;
    const hidden = passing - PASSING_SHOWN;
    expect(text.replace(/\s+/g, ' ')).toContain(`followed by the first ${PASSING_SHOWN} of ${passing} passing results. ${hidden} more passing; see results.csv`);
    expect(text).toContain(`... and ${hidden} more passing results, not listed here; see results.csv.`);
    for (const r of big.controls[0]!.results.filter((x) => x.status === 'FAIL')) expect(text).toContain(pdfSafe(r.resourceId).slice(0, 20));
  });
});

describe('selectResults', () => {
  const result = (status: 'PASS' | 'FAIL' | 'ERROR', i: number): ReportView['controls'][number]['results'][number] => ({
    resourceId: `r${i}`, resourceType: 't', account: 'a', region: 'r', status, message: '', evidence: [],
  });

  it('keeps all failing and erroring results, worst first, and the first passing ones up to the cap', () => {
    const results = [...Array.from({ length: 120 }, (_, i) => result('PASS', i)), result('FAIL', 200), result('ERROR', 201), result('FAIL', 202)];
    const selection = selectResults(results, 50);
    expect(selection.shown.slice(0, 3).map((r) => r.resourceId)).toEqual(['r201', 'r200', 'r202']);
    expect(selection.shown.slice(3).map((r) => r.resourceId)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    expect(selection).toMatchObject({ passing: 120, hiddenPassing: 70 });
  });

  it('hides nothing under the cap', () => {
    expect(selectResults([result('PASS', 1), result('FAIL', 2)], 50)).toMatchObject({ passing: 1, hiddenPassing: 0 });
  });
});

describe('pdfSafe', () => {
  it('keeps WinAnsi text and replaces what the built-in fonts cannot show', () => {
    expect(pdfSafe('café – “quoted” €5')).toBe('café – “quoted” €5');
    expect(pdfSafe('snow ☃ 雪\u0000bell\u0007')).toBe('snow ? ??bell?');
    expect(pdfSafe('a\nb\tc')).toBe('a b c');
    expect(pdfSafe(undefined)).toBe('');
  });
});
