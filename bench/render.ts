import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectors } from '../collectors/index.js';
import { loadCatalog } from '../src/catalog/load.js';
import { buildResults } from '../src/results/build.js';
import { buildReportView } from '../src/report/build-view.js';
import { renderCsv } from '../src/report/csv.js';
import { loadReportDefinition } from '../src/report/definition.js';
import { renderHtml } from '../src/report/html.js';
import { renderPdf } from '../src/report/pdf/render.js';
import { generateKeys, loadKeys } from '../src/sign/keys.js';
import type { Figure } from './collect-evaluate.js';
import { syntheticPack } from './synthetic.js';

/** HTML + signed PDF (+ CSV) for 100 controls × 20,000 resource results, from the view model onwards. */
export async function benchRender(controls = 100, perControl = 200): Promise<Figure[]> {
  const catalog = await loadCatalog(undefined, collectors);
  const template = buildResults(
    { id: 'bench', startedAt: '2026-10-01T00:00:00.000Z', finishedAt: '2026-10-01T00:10:00.000Z', tool: { name: 'auditpack', version: 'bench' }, accounts: ['123456789000', '123456789001'], regions: ['us-east-1'], catalog: { digest: catalog.digest, frameworks: catalog.frameworks.versions } },
    [],
    catalog.frameworks,
  );
  const { results, manifest } = syntheticPack(controls, perControl, template);
  const definition = await loadReportDefinition();
  const keysDir = join(await mkdtemp(join(tmpdir(), 'auditpack-bench-keys-')), 'k');
  await generateKeys(keysDir, { organisation: 'bench', demo: true });
  const keys = await loadKeys(keysDir);
  const t0 = performance.now();
  const view = buildReportView(results, manifest, 'ab'.repeat(32), definition);
  const t1 = performance.now();
  const html = renderHtml(view);
  const t2 = performance.now();
  const pdf = await renderPdf(view, { ...(keys.pdf ? { sign: keys.pdf } : {}) });
  const t3 = performance.now();
  const csv = renderCsv(view);
  const t4 = performance.now();
  const total = controls * perControl;
  return [
    { name: `view model (${controls} controls x ${total} results)`, value: Math.round(t1 - t0), unit: 'ms' },
    { name: 'HTML render', value: Math.round(t2 - t1), unit: 'ms' },
    { name: 'HTML size', value: Math.round(html.length / 1024), unit: 'KiB' },
    { name: 'PDF render + CMS signature', value: Math.round(t3 - t2), unit: 'ms' },
    { name: 'PDF size', value: Math.round(pdf.length / 1024), unit: 'KiB' },
    { name: 'CSV render', value: Math.round(t4 - t3), unit: 'ms' },
    { name: 'HTML + PDF together', value: Math.round(t3 - t1), unit: 'ms' },
    { name: 'CSV size', value: Math.round(csv.length / 1024), unit: 'KiB' },
  ];
}
