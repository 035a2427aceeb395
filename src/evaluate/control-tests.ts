import type { LoadedControl } from '../catalog/load.js';
import type { Status } from '../core/types.js';
import { judge, worstStatus } from './judge.js';

export interface ControlTestOutcome {
  control: string;
  source: string;
  name: string;
  expected: Status;
  actual: Status;
  messages: string[];
  ok: boolean;
}

const DEFAULT_TEST_NOW = '2026-01-01T00:00:00Z';

/** Runs a control's inline test cases (evidence in, status out) through the same judge as a real run. */
export function runControlTests(control: LoadedControl): ControlTestOutcome[] {
  const { definition, rule } = control;
  if (!rule) return [];
  return definition.tests.map((test) => {
    const results = judge(rule, {
      account: '111111111111',
      region: 'us-east-1',
      evidence: test.evidence,
      params: { ...definition.params, ...(test.params ?? {}) },
      now: test.now ?? DEFAULT_TEST_NOW,
      evidenceHashes: [],
      primaryEvidence: definition.evidence[0] ?? '',
      resourceType: definition.resourceType ?? 'AWS::::Account',
    });
    const actual = worstStatus(results.map((r) => r.status));
    return {
      control: definition.id,
      source: definition.source,
      name: test.name,
      expected: test.expect,
      actual,
      messages: results.map((r) => `${r.resourceId}: ${r.status} ${r.message}`),
      ok: actual === test.expect,
    };
  });
}
