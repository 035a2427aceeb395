import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { frameworkIndexView, loadFrameworkReference } from '../../../src/report/framework-index.js';
import { CIS_RECOMMENDATION_COUNT } from '../../../scripts/build-frameworks.js';
import { COUNTS_END, COUNTS_START, README, cisCoverage, countsBlock, replaceCountsBlock } from '../../../scripts/catalog-counts.js';

/**
 * CIS AWS Foundations v3.0.0 recommendations that no control maps to yet, because an automated control for them is
 * being written (issue 12). This list only shrinks: the lead empties it once they land, and a recommendation
 * that is not covered and not listed here fails the test.
 */
const PENDING = new Set<string>([]);

/**
 * CIS recommendations the benchmark assesses as Automated but that only a manual control covers. Empty: a
 * manual control is for what no AWS API can answer.
 */
const MANUAL_ONLY_ALLOWED = new Set<string>();

const catalog = await loadCatalog(undefined, collectors);
const coverage = cisCoverage(catalog);

describe('CIS AWS Foundations v3.0.0 coverage', () => {
  it('knows all 62 recommendations, each with its profile level and assessment', () => {
    expect(coverage).toHaveLength(CIS_RECOMMENDATION_COUNT);
    for (const r of coverage) {
      expect(['L1', 'L2'], r.id).toContain(r.level);
      expect(['Automated', 'Manual'], r.id).toContain(r.assessment);
    }
  });

  it('maps a control to every recommendation except the pending ones', () => {
    const uncovered = coverage.filter((r) => r.coverage === 'none').map((r) => r.id);
    const landed = [...PENDING].filter((id) => !uncovered.includes(id));
    // The report the lead reads: what is still missing, and which pending ids can now leave PENDING.
    console.info(`CIS 3.0 not covered (${uncovered.length}): ${uncovered.join(', ') || 'none'}${landed.length ? `; covered now, remove from PENDING: ${landed.join(', ')}` : ''}`);
    expect(uncovered.filter((id) => !PENDING.has(id)), 'CIS recommendations with no control that are not PENDING').toEqual([]);
  });

  it('uses manual controls only where the benchmark itself assesses the recommendation as Manual', () => {
    const manualOnlyAutomatable = coverage.filter((r) => r.coverage === 'manual' && r.assessment === 'Automated' && !MANUAL_ONLY_ALLOWED.has(r.id)).map((r) => r.id);
    expect(manualOnlyAutomatable).toEqual([]);
  });

  it('gives every manual CIS control an attestation to collect and a remediation', () => {
    const manual = catalog.controls.map((c) => c.definition).filter((d) => d.kind === 'manual' && (d.mappings['cis-aws-3.0'] ?? []).length > 0);
    expect(manual.map((d) => d.id).sort()).toEqual(expect.arrayContaining(['manual-account-contact-details', 'manual-account-security-questions', 'manual-identity-provider']));
    for (const d of manual) {
      expect(d.remediation.text, d.id).toMatch(/auditpack attest /);
      expect(d.mappings['well-architected']?.length, d.id).toBeGreaterThan(0);
      expect(d.mappings['shared-responsibility']?.length, d.id).toBeGreaterThan(0);
    }
  });

  it('surfaces each recommendation with its level in the CIS report index', () => {
    const index = frameworkIndexView(loadFrameworkReference('cis-aws-3.0'), [], catalog.frameworks.versions['cis-aws-3.0']);
    const rows = index.groups.flatMap((g) => g.requirements);
    expect(rows).toHaveLength(CIS_RECOMMENDATION_COUNT);
    for (const r of rows) {
      const rec = catalog.frameworks.cis.recommendations.get(r.id);
      expect(rec, r.id).toBeDefined();
      expect([r.level, r.assessment], r.id).toEqual([rec!.level, rec!.assessment]);
    }
  });
});

describe('README counts', () => {
  it('come from the catalog (run `npm run counts` after changing the catalog)', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.indexOf(COUNTS_START);
    const end = readme.indexOf(COUNTS_END);
    expect(start, 'README.md has the counts block').toBeGreaterThanOrEqual(0);
    expect(readme.slice(start, end + COUNTS_END.length)).toBe(countsBlock(catalog));
    expect(replaceCountsBlock(readme, countsBlock(catalog))).toBe(readme);
  });

  it('state no other hard-coded control count', async () => {
    const readme = await readFile(README, 'utf8');
    const outside = readme.slice(0, readme.indexOf(COUNTS_START)) + readme.slice(readme.indexOf(COUNTS_END));
    expect(outside).not.toMatch(/\b\d+ (automated|manual|inherited) controls\b/);
  });
});
