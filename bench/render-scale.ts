import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectors } from '../collectors/index.js';
import { loadCatalog } from '../src/catalog/load.js';
import { SEVERITIES, type ResourceResult, type Severity, type Status } from '../src/core/types.js';
import type { Manifest } from '../src/locker/pack.js';
import { buildReportView } from '../src/report/build-view.js';
import { loadReportDefinition } from '../src/report/definition.js';
import { renderHtml } from '../src/report/html.js';
import { renderPdf } from '../src/report/pdf/render.js';
import type { ControlView, ReportView } from '../src/report/view-model.js';
import { buildResults } from '../src/results/build.js';
import type { ControlResult, ResultsDocument } from '../src/results/types.js';
import { countStatuses } from '../src/score/score.js';
import { generateKeys, loadKeys } from '../src/sign/keys.js';
import type { Figure } from './collect-evaluate.js';

/**
 * Reports of a 1,000-account organisation (100 controls × 1,000 accounts × 3 resources = 300,000 results), rendered
 * the way reports were before they were capped ("before": every result in the HTML; in the PDF every non-passing
 * result and 50 passing ones per control, every evidence file) and as they are now ("after": the definition's
 * limits). Each mode runs in its own child process so its peak RSS (process.resourceUsage().maxRSS) is its own.
 */

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

type Mode = 'before' | 'after';

interface Shape {
  accounts: number;
  controls: number;
  perAccount: number;
}

/** The organisation's results: status spread as in bench/synthetic.ts (1 in 7 FAIL, 1 in 53 ERROR), one evidence file per account. */
function organisation(shape: Shape, template: ResultsDocument): { results: ResultsDocument; manifest: Manifest } {
  const accounts = Array.from({ length: shape.accounts }, (_, i) => String(200000000000 + i));
  const files = accounts.map((a) => ({ path: `evidence/${a}/us-east-1/s3.buckets.json`, sha256: hex(a), bytes: 20_000, collectedAt: '2026-10-01T00:00:00.000Z' }));
  const controls: ControlResult[] = Array.from({ length: shape.controls }, (_, c) => {
    const results: ResourceResult[] = [];
    accounts.forEach((account, a) => {
      for (let r = 0; r < shape.perAccount; r++) {
        const n = a * shape.perAccount + r + c;
        const status: Status = n % 7 === 0 ? 'FAIL' : n % 53 === 0 ? 'ERROR' : 'PASS';
        results.push({
          resourceId: `arn:aws:s3:::org-bucket-${account}-${c}-${r}`,
          resourceType: 'AWS::S3::Bucket',
          account,
          region: 'us-east-1',
          status,
          message: status === 'PASS' ? 'compliant' : `bucket org-bucket-${account}-${c}-${r} has no default encryption with an AWS KMS key (algorithm AES256)`,
          evidence: [`sha256:${files[a]!.sha256}`],
        });
      }
    });
    const counts = countStatuses(results.map((r) => r.status));
    const severity: Severity = SEVERITIES[c % 4]!;
    return {
      id: `scale-control-${String(c).padStart(3, '0')}`,
      title: `Scale control ${c}: S3 buckets are encrypted with AWS KMS keys`,
      description: 'A synthetic control for the organisation-scale rendering benchmark.',
      severity,
      kind: 'automated',
      responsibility: 'customer',
      status: counts.ERROR ? 'ERROR' : counts.FAIL ? 'FAIL' : 'PASS',
      mappings: { 'well-architected': ['SEC08-BP02'], 'security-hub': ['S3.17'] },
      params: {},
      remediation: { text: 'Enable default encryption with an AWS KMS key on the bucket.' },
      source: 'bench',
      evidence: ['s3.buckets'],
      counts,
      results,
    };
  });
  const results: ResultsDocument = {
    ...template,
    run: { ...template.run, accounts },
    controls,
    summary: { ...template.summary, byStatus: countStatuses(controls.map((c) => c.status)), resultsByStatus: countStatuses(controls.flatMap((c) => c.results.map((r) => r.status))) },
  };
  const manifest: Manifest = { schemaVersion: '1', tool: { name: 'auditpack', version: 'bench' }, run: { id: 'scale', startedAt: template.run.startedAt, finishedAt: template.run.finishedAt, accounts, regions: ['us-east-1'] }, catalog: { digest: template.run.catalog.digest }, files };
  return { results, manifest };
}

/** The PDF's rows as the renderer chose them before the cap: every non-passing result (worst first) and 50 passing. */
function previousPdfSelection(control: ControlView): ControlView {
  const order: Record<Status, number> = { ERROR: 0, FAIL: 1, WAIVED: 2, MANUAL: 3, INHERITED: 4, NOT_APPLICABLE: 5, PASS: 6 };
  const ranked = control.results.map((r, i) => ({ r, i })).sort((a, b) => order[a.r.status] - order[b.r.status] || a.i - b.i);
  let passing = 0;
  const shown = ranked.filter(({ r }) => r.status !== 'PASS' || ++passing <= 50).map(({ r }) => r);
  return { ...control, results: shown };
}

const pageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

/** One mode, in this process: the figures it measured. */
async function measure(mode: Mode, shape: Shape): Promise<Figure[]> {
  const catalog = await loadCatalog(undefined, collectors);
  const template = buildResults(
    { id: 'scale', startedAt: '2026-10-01T00:00:00.000Z', finishedAt: '2026-10-01T00:10:00.000Z', tool: { name: 'auditpack', version: 'bench' }, accounts: [], regions: ['us-east-1'], catalog: { digest: catalog.digest, frameworks: catalog.frameworks.versions } },
    [],
    catalog.frameworks,
  );
  const definition = await loadReportDefinition();
  const keysDir = await mkdtemp(join(tmpdir(), 'auditpack-bench-scale-keys-'));
  await generateKeys(join(keysDir, 'k'), { organisation: 'bench', demo: true });
  const keys = await loadKeys(join(keysDir, 'k'));
  const { results, manifest } = organisation(shape, template);
  const total = results.controls.reduce((n, c) => n + c.results.length, 0);
  const dataRss = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const view: ReportView = buildReportView(results, manifest, 'ab'.repeat(32), definition, undefined, mode === 'before' ? { allResults: true } : {});
  const t1 = performance.now();
  const html = renderHtml(view);
  const htmlBytes = Buffer.byteLength(html);
  const t2 = performance.now();
  const pdfView = mode === 'before' ? { ...view, controls: view.controls.map(previousPdfSelection) } : view;
  const pdf = await renderPdf(pdfView, { ...(keys.pdf ? { sign: keys.pdf } : {}) });
  const t3 = performance.now();
  await rm(keysDir, { recursive: true, force: true });
  const label = `${mode} (${shape.controls} controls x ${shape.accounts} accounts x ${shape.perAccount} = ${total} results)`;
  return [
    { name: `${label}: peak RSS with the results document built`, value: Math.round(dataRss / 1024), unit: 'MB' },
    { name: `${label}: view model`, value: Math.round(t1 - t0), unit: 'ms' },
    { name: `${label}: HTML render`, value: Math.round(t2 - t1), unit: 'ms' },
    { name: `${label}: HTML size`, value: Math.round(htmlBytes / 1024), unit: 'KiB' },
    { name: `${label}: PDF render + CMS signature`, value: Math.round(t3 - t2), unit: 'ms' },
    { name: `${label}: PDF size`, value: Math.round(pdf.length / 1024), unit: 'KiB' },
    { name: `${label}: PDF pages`, value: pageCount(pdf), unit: 'pages' },
    { name: `${label}: peak RSS of the whole render`, value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB' },
  ];
}

function inChild(mode: Mode, shape: Shape): Promise<Figure[]> {
  return new Promise((resolve, reject) => {
    let figures: Figure[] | undefined;
    const child = fork(fileURLToPath(import.meta.url), ['--render-scale-child', mode, String(shape.accounts), String(shape.controls), String(shape.perAccount)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m) => (figures = m as Figure[]));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && figures ? resolve(figures) : reject(new Error(`render-scale ${mode} exited ${code}`))));
  });
}

/** Before and after, each in its own process. */
export async function benchRenderScale(shape: Shape = { accounts: 1000, controls: 100, perAccount: 3 }): Promise<Figure[]> {
  return [...(await inChild('before', shape)), ...(await inChild('after', shape))];
}

if (process.argv[2] === '--render-scale-child') {
  const [mode, accounts, controls, perAccount] = process.argv.slice(3);
  const figures = await measure(mode as Mode, { accounts: Number(accounts), controls: Number(controls), perAccount: Number(perAccount) });
  process.send?.(figures, () => process.disconnect());
}
