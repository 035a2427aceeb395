import { describe, expect, it } from 'vitest';
import type { CompiledRule } from '../../../src/catalog/load.js';
import { judge, MAX_MESSAGE_CHARS, type JudgeScope } from '../../../src/evaluate/judge.js';
import { BUDGET, BudgetExceededError, EvaluationBudget } from '../../../src/rules/budget.js';
import { compileExpression } from '../../../src/rules/cel.js';

const rule = (pass: string, extra: { applies?: string; resources?: string; message?: string } = {}): CompiledRule => ({
  checks: [{ require: compileExpression(pass), message: compileExpression(extra.message ?? '"bad: " + r.id'), continue: false }],
  ...(extra.applies ? { applies: compileExpression(extra.applies) } : {}),
  ...(extra.resources ? { resources: compileExpression(extra.resources) } : {}),
});

const scope = (resources: unknown[]): JudgeScope => ({
  account: '111111111111',
  region: 'us-east-1',
  evidence: { 'x.things': resources as JudgeScope['evidence'][string] },
  params: { limit: 3 },
  now: '2026-01-01T00:00:00Z',
  evidenceHashes: [],
  primaryEvidence: 'x.things',
  resourceType: 'AWS::X::Thing',
});

/** A resource with 200,000 tags and 200,000 policy statements: what a hostile account can hand a rule. */
function hugeResource(id: string): Record<string, unknown> {
  const n = 200_000;
  return {
    id,
    tags: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' })),
    document: { Statement: Array.from({ length: n }, (_, i) => ({ Effect: 'Allow', Action: `s3:Get${i}`, Resource: '*' })) },
  };
}

const BUDGET_REASON = /rule evaluation exceeded its budget \(more than \d+ cost units/;

describe('CEL evaluation budget', () => {
  it('judges normal rules as before and spends little', () => {
    const budget = new EvaluationBudget();
    const pass = compileExpression('r.tags.all(t, t.value != "") && size(r.tags) <= params.limit');
    expect(pass({ r: { tags: [{ value: 'a' }, { value: 'b' }] }, params: { limit: 3 } }, budget)).toBe(true);
    expect(budget.used).toBeGreaterThan(0);
    expect(budget.used).toBeLessThan(200);
  });

  it('nested comprehensions over 200,000 tags give ERROR with the reason, not a hang', () => {
    const results = judge(rule('r.tags.all(a, r.tags.exists(b, a.key == b.key))'), scope([hugeResource('big'), { id: 'small', tags: [{ key: 'k', value: 'v' }] }]));
    expect(results.map((r) => [r.resourceId, r.status])).toEqual([
      ['big', 'ERROR'],
      ['small', 'PASS'],
    ]);
    expect(results[0]?.message).toMatch(BUDGET_REASON);
  });

  it('an exhausted budget is ERROR even where || or exists would absorb the error', () => {
    for (const pass of [
      'r.tags.exists(a, r.tags.exists(b, a.key == b.key && a.value != b.value)) || true',
      'true || r.tags.exists(a, r.tags.exists(b, a.key == b.key))', // short-circuits: never spends
      'r.tags.exists(a, a.key + "x" in r.tags.map(b, b.key))',
    ]) {
      const [result] = judge(rule(pass), scope([hugeResource('big')]));
      if (pass.startsWith('true ||')) expect(result?.status, pass).toBe('PASS');
      else {
        expect(result?.status, pass).toBe('ERROR');
        expect(result?.message, pass).toMatch(BUDGET_REASON);
      }
    }
  });

  it('charges what a function call walks: a custom function called in a loop on a large value', () => {
    const [result] = judge(rule('r.tags.all(t, !policyAllowsFullAdmin(r.document))'), scope([hugeResource('big')]));
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toMatch(BUDGET_REASON);
  });

  it('charges deep equality and list concatenation', () => {
    const deep = { id: 'deep', a: hugeResource('a').tags, b: hugeResource('b').tags };
    expect(judge(rule('r.a.all(x, r.a == r.b)'), scope([deep]))[0]?.status).toBe('ERROR');
    expect(judge(rule('r.a.map(x, r.a + r.a).size() > 0'), scope([deep]))[0]?.status).toBe('ERROR');
  });

  it('covers rule.resources too (one budget for building the list)', () => {
    const [result] = judge(rule('true', { resources: 'evidence["x.things"].filter(a, evidence["x.things"].exists(b, b.key == a.key + "x"))' }), scope(hugeResource('x').tags as unknown[]));
    expect(result?.status).toBe('ERROR');
    expect(result?.message).toMatch(/^rule\.resources failed: rule evaluation exceeded its budget/);
  });

  it('is deterministic: the same evidence spends the same units', () => {
    const expr = compileExpression('r.tags.filter(t, t.key.startsWith("k1")).size() > 0');
    const resource = { tags: (hugeResource('x').tags as unknown[]).slice(0, 5_000) };
    const a = new EvaluationBudget();
    const b = new EvaluationBudget();
    expect(expr({ r: resource }, a)).toBe(true);
    expect(expr({ r: resource }, b)).toBe(true);
    expect(a.used).toBe(b.used);
  });

  it('shares one budget between applies, pass and message of a resource', () => {
    const expr = compileExpression('r.tags.all(t, t.value == "v")');
    const resource = { tags: Array.from({ length: 10 }, () => ({ value: 'v' })) };
    const once = new EvaluationBudget();
    expr({ r: resource }, once);
    const budget = new EvaluationBudget(Math.floor(once.used * 1.5));
    expect(expr({ r: resource }, budget)).toBe(true);
    expect(() => expr({ r: resource }, budget)).toThrow(BudgetExceededError);
  });

  it('an expression evaluated without a budget still gets the default one', () => {
    const expr = compileExpression('r.tags.all(a, r.tags.exists(b, a.key == b.key))');
    expect(() => expr({ r: hugeResource('x') })).toThrow(BudgetExceededError);
    expect(new BudgetExceededError(BUDGET.unitsPerEvaluation).message).toMatch(BUDGET_REASON);
  });

  it('any exception in one resource is ERROR for that resource only, never a crash', () => {
    const results = judge(rule('size(r.v) > 1', { message: 'r.missing.field' }), scope([{ id: 'nokey' }, { id: 'number', v: 5 }, { id: 'ok', v: 'abc' }, { id: 'short', v: 'a' }, null, 7]));
    expect(results.map((r) => r.status)).toEqual(['ERROR', 'ERROR', 'PASS', 'ERROR', 'ERROR', 'ERROR']);
    expect(results.every((r) => !r.message.includes('\n'))).toBe(true);
  });

  it('charges absorbed errors: every element failing inside exists() is not a slow loop', () => {
    const [result] = judge(rule('r.tags.exists(t, t.missing == 1)'), scope([hugeResource('big')]));
    expect(result?.status).toBe('ERROR');
  });

  it('clips a message built from hostile evidence', () => {
    const [result] = judge(rule('false', { message: 'r.name' }), scope([{ id: 'x', name: 'n'.repeat(100_000) }]));
    expect(result?.status).toBe('FAIL');
    expect(result!.message.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
  });
});
