import { mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto, motoEnv } from './src/demo/moto.js';
import { buildDemoEstate, DEMO_ROLE } from './src/demo/estate.js';
import { identitySeeders } from './src/demo/seed/identity.js';
import { compareExpectations, formatMismatch } from './src/demo/expectations.js';
import { collectAndAssess } from './src/pipeline/run.js';
import { loadCatalog } from './src/catalog/load.js';
import { collectors } from './collectors/index.js';
const moto = await startMoto();
Object.assign(process.env, motoEnv(moto.endpoint));
try {
  const estate = await buildDemoEstate(moto.endpoint, undefined, identitySeeders);
  const dir = mkdtempSync(join(tmpdir(), 'c-'));
  for (const sub of ['frameworks', 'iam', 'account']) cpSync(join('controls', sub), join(dir, sub), { recursive: true });
  const catalog = await loadCatalog(dir, collectors);
  const { results } = await collectAndAssess({ out: mkdtempSync(join(tmpdir(), 'p-')), regions: estate.regions, accounts: [estate.management, estate.member], roleName: DEMO_ROLE, endpoint: moto.endpoint, maxAttempts: 2, catalog, controlIds: catalog.controls.map((c) => c.definition.id) });
  console.log(estate.management, estate.member, estate.expectations.length, compareExpectations(results, estate.expectations).map(formatMismatch));
  for (const c of results.controls) for (const r of c.results) console.log(c.id, r.account, r.region, r.status, r.resourceId, '|', r.message.slice(0, 160));
} finally { await moto.stop(); }
