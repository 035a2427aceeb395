import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/rules/cel.js';
import { judge, worstStatus, type JudgeScope } from '../../../src/evaluate/judge.js';
import type { CompiledRule } from '../../../src/catalog/load.js';
import { expressionReads, mergeReads } from '../../../src/rules/reads.js';

const rule = (pass: string, extra: Partial<Record<'resources' | 'applies' | 'passMessage', string>> = {}): CompiledRule => ({
  checks: [{ require: compileExpression(pass), message: compileExpression('"bad: " + r.id'), continue: false }],
  ...(extra.resources ? { resources: compileExpression(extra.resources) } : {}),
  ...(extra.applies ? { applies: compileExpression(extra.applies) } : {}),
  ...(extra.passMessage ? { passMessage: compileExpression(extra.passMessage) } : {}),
});

const scope = (resources: object[], more: Partial<JudgeScope> = {}): JudgeScope => ({
  account: '111111111111',
  region: 'us-east-1',
  evidence: { 'x.things': resources as JudgeScope['evidence'][string] },
  params: { limit: 3 },
  now: '2026-01-01T00:00:00Z',
  evidenceHashes: ['sha256:abc'],
  primaryEvidence: 'x.things',
  resourceType: 'AWS::X::Thing',
  ...more,
});

describe('judge', () => {
  it('gives PASS and FAIL per resource with messages and evidence hashes', () => {
    const results = judge(rule('r.n <= params.limit', { passMessage: '"ok " + r.id' }), scope([{ id: 'a', type: 'AWS::X::Thing', n: 1 }, { id: 'b', type: 'AWS::X::Thing', n: 9 }]));
    expect(results.map((r) => [r.resourceId, r.status, r.message])).toEqual([
      ['a', 'PASS', 'ok a'],
      ['b', 'FAIL', 'bad: b'],
    ]);
    expect(results[0]?.evidence).toEqual(['sha256:abc']);
    expect(results[0]?.region).toBe('us-east-1');
  });

  it('uses the resource region when it has one', () => {
    const [result] = judge(rule('true'), scope([{ id: 'a', type: 'AWS::X::Thing', region: 'eu-west-1' }]));
    expect(result?.region).toBe('eu-west-1');
  });

  it('turns an evaluation error into ERROR, never PASS', () => {
    const results = judge(rule('r.missing.deeper == 1'), scope([{ id: 'a', type: 'AWS::X::Thing' }]));
    expect(results[0]?.status).toBe('ERROR');
    expect(results[0]?.message).toMatch(/rule could not be evaluated/);
  });

  it('turns a non-boolean verdict into ERROR', () => {
    const results = judge(rule('r.n'), scope([{ id: 'a', type: 'AWS::X::Thing', n: 1 }]));
    expect(results[0]?.status).toBe('ERROR');
    expect(results[0]?.message).toMatch(/not a boolean/);
  });

  it('filters out-of-scope resources with applies; none left = no results', () => {
    const r = rule('false', { applies: 'r.attached' });
    expect(judge(r, scope([{ id: 'a', type: 'AWS::X::Thing', attached: false }]))).toEqual([]);
    expect(judge(r, scope([{ id: 'a', type: 'AWS::X::Thing', attached: true }]))[0]?.status).toBe('FAIL');
  });

  it('judges the list an explicit resources expression returns', () => {
    const r = rule('r.n > 0', { resources: 'evidence["x.things"].filter(t, t.n != 5)' });
    const results = judge(r, scope([{ id: 'a', type: 'AWS::X::Thing', n: 5 }, { id: 'b', type: 'AWS::X::Thing', n: 0 }]));
    expect(results.map((x) => x.resourceId)).toEqual(['b']);
  });

  it('reports a resources expression that is not a list as one ERROR for the scope', () => {
    const results = judge(rule('true', { resources: '"nope"' }), scope([]));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: 'AWS::::Account:111111111111' });
  });

  it('sees now and params, never the wall clock', () => {
    const r = rule('daysBetween(r.created, now) <= 90');
    expect(judge(r, scope([{ id: 'a', type: 'AWS::X::Thing', created: '2025-12-01T00:00:00Z' }]))[0]?.status).toBe('PASS');
    expect(judge(r, scope([{ id: 'a', type: 'AWS::X::Thing', created: '2025-01-01T00:00:00Z' }]))[0]?.status).toBe('FAIL');
  });
});

describe('worstStatus', () => {
  it('orders ERROR > FAIL > PASS > NOT_APPLICABLE', () => {
    expect(worstStatus(['PASS', 'FAIL', 'ERROR'])).toBe('ERROR');
    expect(worstStatus(['PASS', 'FAIL'])).toBe('FAIL');
    expect(worstStatus(['PASS'])).toBe('PASS');
    expect(worstStatus([])).toBe('NOT_APPLICABLE');
  });
});

describe('judge: resources with fields that could not be collected', () => {
  const denied = { fields: ['versioning', 'mfaDelete'], action: 's3:GetBucketVersioning', code: 'AccessDenied', message: 'missing permission s3:GetBucketVersioning: Access Denied' };
  const bucket = (id: string, more: object = {}) => ({ id, type: 'AWS::X::Thing', name: id, policy: null, ...more });
  const withReads = (require: string, applies?: string): CompiledRule => ({
    checks: [{ require: compileExpression(require), message: compileExpression('"bad " + r.id'), continue: false }],
    ...(applies ? { applies: compileExpression(applies) } : {}),
    reads: {
      applies: applies ? expressionReads(applies) : new Map(),
      verdict: mergeReads(expressionReads(require), expressionReads('"bad " + r.id')),
      all: mergeReads(expressionReads(require), expressionReads('"bad " + r.id'), applies ? expressionReads(applies) : new Map()),
    },
  });

  it('is ERROR for a resource only when the rule reads a field that errored, naming fields, action and error', () => {
    const evidence = [bucket('a', { collectionErrors: [denied] }), bucket('b', { versioning: 'Enabled', mfaDelete: 'Disabled' })];
    const versioning = judge(withReads('r.versioning == "Enabled"'), scope(evidence));
    expect(versioning.map((r) => [r.resourceId, r.status, r.message])).toEqual([
      ['a', 'ERROR', 'versioning, mfaDelete not collected: missing permission s3:GetBucketVersioning: Access Denied'],
      ['b', 'PASS', 'compliant'],
    ]);
    const policy = judge(withReads('r.policy == null'), scope(evidence));
    expect(policy.map((r) => r.status)).toEqual(['PASS', 'PASS']);
  });

  it('is ERROR when rule.applies reads an errored field (scope unknown), and skips it when applies leaves it out', () => {
    const evidence = [bucket('a', { collectionErrors: [denied] })];
    expect(judge(withReads('true', 'r.versioning == "Enabled"'), scope(evidence))[0]?.status).toBe('ERROR');
    expect(judge(withReads('r.versioning == "Enabled"', 'r.name == "other"'), scope(evidence))).toEqual([]);
  });

  it('is ERROR for the whole scope when another evidence source the rule reads has an errored field it reads', () => {
    const rule = withReads('r.n > 0 && evidence["y.accounts"].all(a, a.flag)');
    const ev = { 'x.things': [{ id: 'a', type: 'AWS::X::Thing', n: 1 }], 'y.accounts': [{ id: 'acct', type: 'AWS::::Account', collectionErrors: [{ ...denied, fields: ['flag'] }] }] };
    const [only, ...rest] = judge(rule, scope([], { evidence: ev }));
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ resourceId: 'AWS::::Account:111111111111', status: 'ERROR', message: expect.stringMatching(/^evidence y\.accounts acct: flag not collected/) });
    const unrelated = { ...ev, 'y.accounts': [{ id: 'acct', type: 'AWS::::Account', flag: true, collectionErrors: [{ ...denied, fields: ['other'] }] }] };
    expect(judge(rule, scope([], { evidence: unrelated }))[0]?.status).toBe('PASS');
  });

  it('treats a malformed collectionErrors (hostile evidence) as every field missing, never as none', () => {
    for (const bad of ['nope', [{}], [{ fields: [] }], [{ fields: [1] }]]) {
      expect(judge(withReads('r.policy == null'), scope([bucket('a', { collectionErrors: bad })]))[0]?.status, JSON.stringify(bad)).toBe('ERROR');
    }
  });

  it('without read analysis (hand-built rules) any field error is ERROR', () => {
    expect(judge(rule('true'), scope([bucket('a', { collectionErrors: [denied] })]))[0]?.status).toBe('ERROR');
  });
});
