import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPdf, writePdf } from '../../../src/report/pdf/render.js';
import { capResults } from '../../../src/report/result-cap.js';
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

  it('streams an unsigned PDF to the file (same bytes, nothing else left) and writes a signed one whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-pdf-stream-'));
    try {
      await writePdf(join(dir, 'report.pdf'), view);
      expect((await readFile(join(dir, 'report.pdf'))).equals(unsigned)).toBe(true);
      const key = { p12: identity.p12, passphrase: identity.passphrase };
      await writePdf(join(dir, 'signed.pdf'), view, { sign: key });
      expect(verifyPdfSignature(await readFile(join(dir, 'signed.pdf')))).toMatchObject({ valid: true, coversWholeFile: true });
      expect((await readdir(dir)).sort()).toEqual(['report.pdf', 'signed.pdf']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  it('lists the rows the view holds and says how many it left out, counting every result in the header', async () => {
    const full = sampleReportView({ controls: 1, resultsPerControl: 300, failEvery: 4 });
    const control = full.controls[0]!;
    const { shown, omitted } = capResults(control.results, 50);
    const pdf = await renderPdf({ ...full, controls: [{ ...control, results: shown, omittedResults: omitted }, ...full.controls.slice(1)] });
    const text = drawnText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Showing 50 of 300 results (errors and failures first); the full list is in results.csv and results.json.');
    expect(text).toContain('... and 250 more results, not listed here; see results.csv and results.json.');
    expect(text).toContain('300 results: 225 pass, 75 fail');
    for (const r of shown.filter((x) => x.resourceId.includes('bucket-0-'))) expect(text).toContain(`${r.resourceId} `);
    expect(shown.every((r) => r.status === 'FAIL')).toBe(true);
    expect(text).not.toContain('arn:aws:s3:::bucket-0-299 ');
  });
});

describe('capResults', () => {
  const result = (status: 'PASS' | 'FAIL' | 'ERROR', i: number): ReportView['controls'][number]['results'][number] => ({
    resourceId: `r${i}`, resourceType: 't', account: 'a', region: 'r', status, message: '', evidence: [],
  });

  it('lists errors, then failures, then the rest, each by account, region and resource, up to the cap', () => {
    const results = [...Array.from({ length: 120 }, (_, i) => result('PASS', 119 - i)), result('FAIL', 202), result('ERROR', 201), result('FAIL', 200)];
    const selection = capResults(results, 50);
    expect(selection.shown.slice(0, 3).map((r) => r.resourceId)).toEqual(['r201', 'r200', 'r202']);
    expect(selection.shown.slice(3).map((r) => r.resourceId)).toEqual(Array.from({ length: 120 }, (_, i) => `r${i}`).sort().slice(0, 47));
    expect(selection.omitted).toBe(73);
  });

  it('cuts failures too when there are more than the cap, and leaves nothing out under it', () => {
    const failing = Array.from({ length: 80 }, (_, i) => result('FAIL', i));
    expect(capResults([result('PASS', 999), ...failing], 50)).toMatchObject({ omitted: 31 });
    expect(capResults([result('PASS', 999), ...failing], 50).shown.every((r) => r.status === 'FAIL')).toBe(true);
    expect(capResults([result('PASS', 1), result('FAIL', 2)], 50)).toMatchObject({ omitted: 0 });
  });

  it('gives the same rows whatever order the results come in, and keeps results.json order when uncapped', () => {
    const results = Array.from({ length: 200 }, (_, i) => result(i % 3 ? 'PASS' : 'FAIL', (i * 37) % 200));
    const reversed = [...results].reverse();
    expect(capResults(reversed, 50).shown).toEqual(capResults(results, 50).shown);
    expect(capResults(results, undefined).shown).toEqual(results);
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
