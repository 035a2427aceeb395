import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/report/pdf/render.js';
import { sampleReportView } from '../fixtures/report/pdf-sample-view.js';
import { createSigningIdentity } from '../../src/sign/certificate.js';

/** poppler's pdfsig and pdftoppm (Debian poppler-utils). Missing tools skip locally but fail in CI. */
function hasTool(name: string): boolean {
  const probe = spawnSync(name, ['-v'], { encoding: 'utf8' });
  return !probe.error;
}

const toolsPresent = hasTool('pdfsig') && hasTool('pdftoppm');
const inCi = Boolean(process.env.CI);
if (!toolsPresent && !inCi) {
  console.warn('SKIPPED test/e2e/pdf-report.test.ts: pdfsig/pdftoppm not found (apt-get install poppler-utils); in CI this fails instead.');
}

/** pdfsig exits 0 even when the signature is invalid, so only its output tells. */
function pdfsig(path: string): string {
  const run = spawnSync('pdfsig', [path], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`;
}

describe.skipIf(!toolsPresent && !inCi)('PDF report with poppler', () => {
  let dir: string;
  let pdf: Buffer;
  let path: string;

  beforeAll(async () => {
    if (!toolsPresent) throw new Error('pdfsig and pdftoppm are required in CI: install poppler-utils');
    dir = await mkdtemp(join(tmpdir(), 'auditpack-pdf-e2e-'));
    const identity = createSigningIdentity({ commonName: 'auditpack e2e signer', organisation: 'Example Corp', validDays: 30 });
    pdf = await renderPdf(sampleReportView({ controls: 4, resultsPerControl: 80 }), { sign: { p12: identity.p12, passphrase: identity.passphrase, reason: 'Audit report' } });
    path = join(dir, 'report.pdf');
    await writeFile(path, pdf);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pdfsig validates the embedded signature', () => {
    const output = pdfsig(path);
    expect(output).toContain('Signature is Valid.');
    expect(output).toContain('auditpack e2e signer');
    expect(output).toContain('Total document signed');
  });

  it.each([
    ['the header', () => 10],
    ['the middle', () => Math.floor(pdf.length / 2)],
    ['the trailer', () => pdf.length - 30],
  ])('pdfsig does not call it valid after one byte at %s changes', async (_where, offset) => {
    const copy = Buffer.from(pdf);
    const at = offset();
    copy[at] = (copy[at] ?? 0) ^ 0x01;
    const changed = join(dir, `changed-${at}.pdf`);
    await writeFile(changed, copy);
    expect(pdfsig(changed)).not.toContain('Signature is Valid.');
  });

  it('pdftoppm renders the first pages', async () => {
    const run = spawnSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '3', path, join(dir, 'page')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const pages = (await readdir(dir)).filter((f) => /^page-\d+\.png$/.test(f)).sort();
    expect(pages).toHaveLength(3);
    for (const page of pages) expect((await stat(join(dir, page))).size).toBeGreaterThan(1000);
  });
});
