import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { CIS_RECOMMENDATION_COUNT, FRAMEWORKS_DIR, buildFrameworks } from '../../../scripts/build-frameworks.js';
import { loadFrameworks } from '../../../src/catalog/frameworks.js';
import { loadCatalog } from '../../../src/catalog/load.js';

describe('controls/frameworks is generated from controls/frameworks/sources', () => {
  it('the committed security-hub.yaml and cis-aws-3.0.yaml equal the builder output (run npm run frameworks)', async () => {
    const built = await buildFrameworks(join(FRAMEWORKS_DIR, 'sources'));
    for (const [name, text] of Object.entries(built.files)) expect(await readFile(join(FRAMEWORKS_DIR, name), 'utf8'), name).toBe(text);
  });

  it('lists all 62 CIS v3.0.0 recommendations, each with a title, profile level and assessment status', async () => {
    const frameworks = await loadFrameworks(FRAMEWORKS_DIR);
    const recs = [...frameworks.cis.recommendations.values()];
    expect(recs).toHaveLength(CIS_RECOMMENDATION_COUNT);
    for (const r of recs) {
      expect(r.title, r.id).not.toBe('');
      expect(['L1', 'L2'], r.id).toContain(r.level);
      expect(['Automated', 'Manual'], r.id).toContain(r.assessment);
      for (const sh of r.securityHub) expect(frameworks.securityHub.controls.get(sh)?.cis30, `${r.id} -> ${sh}`).toContain(r.id);
    }
  });

  it('carries at least 150 Security Hub controls with severity and standards', async () => {
    const frameworks = await loadFrameworks(FRAMEWORKS_DIR);
    expect(frameworks.securityHub.controls.size).toBeGreaterThanOrEqual(150);
    for (const c of frameworks.securityHub.controls.values()) {
      expect(['Critical', 'High', 'Medium', 'Low'], c.id).toContain(c.severity);
      expect(c.inFsbp, c.id).toBe(c.standards.includes('fsbp'));
    }
  });

  it('every shipped control mapping still validates against the generated catalogs', async () => {
    const catalog = await loadCatalog(join(FRAMEWORKS_DIR, '..'), collectors);
    expect(catalog.controls.length).toBeGreaterThan(0);
  });
});
