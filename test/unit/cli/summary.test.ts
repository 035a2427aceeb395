import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../../src/cli/summary.js';
import { STATUSES, type Status } from '../../../src/core/types.js';
import type { RefusedScope, ResultsDocument } from '../../../src/results/types.js';

function counts(values: Partial<Record<Status, number>> = {}): Record<Status, number> {
  return { ...(Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>), ...values };
}

/** What formatSummary reads of results.json. */
function results(refusals?: RefusedScope[]): ResultsDocument {
  return {
    schemaVersion: '1',
    run: { id: 'run-1', startedAt: '', finishedAt: '', tool: { name: 'auditpack', version: '0.0.0' }, accounts: ['111111111111'], regions: ['eu-west-1', 'us-east-1'], catalog: { digest: '', frameworks: {} } },
    summary: { score: 50, byStatus: counts({ PASS: 1, ERROR: 1 }), resultsByStatus: counts({ PASS: 3, ERROR: 2 }), ...(refusals ? { refusals } : {}) },
    controls: [],
  } as unknown as ResultsDocument;
}

const REFUSED: RefusedScope = {
  account: '111111111111',
  region: 'eu-west-1',
  cause: 'region-not-enabled',
  collectors: ['ec2.volumes', 'kms.keys'],
  fix: '--regions us-east-1, or enable the region',
  message: '111111111111 eu-west-1 — region not enabled (2 collector runs; fix: --regions us-east-1, or enable the region)',
};

describe('formatSummary: refused scopes', () => {
  it('prints each refused scope once, as one line', () => {
    const text = formatSummary(results([REFUSED, { ...REFUSED, region: 'global', service: 'iam', cause: 'scp-deny', message: '111111111111 global iam — denied by a service control policy (1 collector run; fix: x)' }]), '/packs/run-1');
    const refused = text.split('\n').filter((l) => l.startsWith('refused: '));
    expect(refused).toEqual([
      'refused: 111111111111 eu-west-1 — region not enabled (2 collector runs; fix: --regions us-east-1, or enable the region)',
      'refused: 111111111111 global iam — denied by a service control policy (1 collector run; fix: x)',
    ]);
  });

  it('keeps a hostile message on its line and away from the terminal', () => {
    const text = formatSummary(results([{ ...REFUSED, message: 'a\nb\u001b[31mred' }]), '/p');
    expect(text).toContain('refused: a?b?[31mred');
    expect(text).not.toContain('\u001b');
  });

  it('prints no refused line for results without refusals (older packs too)', () => {
    expect(formatSummary(results(), '/p')).not.toContain('refused');
  });
});
