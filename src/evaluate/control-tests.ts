import type { LoadedControl } from '../catalog/load.js';
import type { ExpectedResult, ResourceResult } from '../core/types.js';
import { judgeCandidates } from './judge.js';

export interface ControlTestOutcome {
  control: string;
  source: string;
  name: string;
  /** The case's expectations, one `id: STATUS ["message" | /pattern/]` per resource, joined by "; ". */
  expected: string;
  /** What the rule gave, written like `expected`: equal to it exactly when the case passes. */
  actual: string;
  /** Every judged resource: `id: STATUS message`. */
  messages: string[];
  /** One line per resource whose result differs from the expectation. */
  problems: string[];
  ok: boolean;
}

const DEFAULT_TEST_NOW = '2026-01-01T00:00:00Z';

function expectation(expected: ExpectedResult): { status: string; message?: string; matches?: string } {
  return typeof expected === 'string' ? { status: expected } : expected;
}

function describeExpected(id: string, expected: ExpectedResult): string {
  const e = expectation(expected);
  return `${id}: ${e.status}${e.message !== undefined ? ` ${JSON.stringify(e.message)}` : ''}${e.matches !== undefined ? ` /${e.matches}/` : ''}`;
}

function describeActual(id: string, results: ResourceResult[]): string {
  if (results.length === 0) return `${id}: (not judged)`;
  return results.map((r) => `${id}: ${r.status}${r.status === 'NOT_APPLICABLE' ? '' : ` ${JSON.stringify(r.message)}`}`).join('; ');
}

function matches(expected: ExpectedResult, results: ResourceResult[]): boolean {
  const e = expectation(expected);
  const [result, ...more] = results;
  if (!result || more.length > 0 || result.status !== e.status) return false;
  if (e.message !== undefined && result.message !== e.message) return false;
  return e.matches === undefined || new RegExp(e.matches).test(result.message);
}

/**
 * Runs a control's inline test cases (evidence in, a result per resource out) through the same judge as a real
 * run, and compares every judged resource with the case's expectation for it: status, and message when given.
 */
export function runControlTests(control: LoadedControl): ControlTestOutcome[] {
  const { definition, rule } = control;
  if (!rule) return [];
  return definition.tests.map((test) => {
    const results = judgeCandidates(rule, {
      account: '111111111111',
      region: 'us-east-1',
      evidence: test.evidence,
      params: { ...definition.params, ...(test.params ?? {}) },
      now: test.now ?? DEFAULT_TEST_NOW,
      evidenceHashes: [],
      primaryEvidence: definition.evidence[0] ?? '',
      resourceType: definition.resourceType ?? 'AWS::::Account',
    });
    const byId = new Map<string, ResourceResult[]>();
    for (const r of results) byId.set(r.resourceId, [...(byId.get(r.resourceId) ?? []), r]);
    const ids = [...new Set([...Object.keys(test.expect), ...byId.keys()])];
    const expected: string[] = [];
    const actual: string[] = [];
    const problems: string[] = [];
    for (const id of ids) {
      const want = test.expect[id];
      const got = byId.get(id) ?? [];
      if (want !== undefined && matches(want, got)) {
        expected.push(describeExpected(id, want));
        actual.push(describeExpected(id, want));
        continue;
      }
      if (want !== undefined) expected.push(describeExpected(id, want));
      actual.push(describeActual(id, got));
      problems.push(`${want === undefined ? `${id}: no expectation` : `expected ${describeExpected(id, want)}`}, got ${describeActual(id, got)}`);
    }
    return {
      control: definition.id,
      source: definition.source,
      name: test.name,
      expected: expected.join('; '),
      actual: actual.join('; '),
      messages: results.filter((r) => r.status !== 'NOT_APPLICABLE').map((r) => `${r.resourceId}: ${r.status} ${r.message}`),
      problems,
      ok: problems.length === 0,
    };
  });
}
