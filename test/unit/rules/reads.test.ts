import { describe, expect, it } from 'vitest';
import { celFunctions } from '../../../src/rules/functions/index.js';
import { bucketPublicAccess } from '../../../src/rules/functions/s3.js';
import { unusedCredentialDays } from '../../../src/rules/functions/iam.js';
import { monitoringFunctions } from '../../../src/rules/functions/monitoring.js';
import { ALL, expressionReads, listOrigin, readsAny } from '../../../src/rules/reads.js';

/** The reads of one expression as plain data: origin -> sorted fields. */
function reads(source: string): Record<string, string[]> {
  return Object.fromEntries([...expressionReads(source)].map(([origin, fields]) => [origin, [...fields].sort()]));
}

describe('field reads of a rule expression', () => {
  it.each([
    ['r.versioning == "Enabled"', { r: ['versioning'] }],
    ['r["versioning"] == "Enabled" && has(r.mfaDelete)', { r: ['mfaDelete', 'versioning'] }],
    ['r.encryption.algorithm in params.kms', { r: ['encryption'] }],
    ['r.list.all(g, g.a) && r.other.exists(x, x.b)', { r: ['list', 'other'] }],
    ['size(r.items) > 0', { r: ['items'] }],
    ['"literal" + string(params.x)', {}],
  ])('%s', (source, expected) => expect(reads(source)).toEqual(expected));

  it('counts r used whole (passed to a function without declared reads, compared, indexed by a computed key) as every field', () => {
    expect(reads('size(string(r)) > 0')).toEqual({ r: [ALL] });
    expect(reads('r == {}')).toEqual({ r: [ALL] });
    expect(reads('["a", "b"].filter(k, !r[k]).size() == 0')).toEqual({ r: [ALL] });
  });

  it('follows evidence elements through filter and comprehension variables', () => {
    expect(reads('evidence["c.trails"].filter(t, t.type == "T").exists(t, t.isLogging && t.isMultiRegion)')).toEqual({ 'c.trails': ['isLogging', 'isMultiRegion', 'type'] });
    expect(reads('evidence["c.x"].map(v, v.name).join(", ")')).toEqual({ 'c.x': ['name'] });
    expect(reads('size(evidence["c.x"]) == 0')).toEqual({ 'c.x': [] });
    expect(reads('evidence["c.x"][0].name == "a"')).toEqual({ 'c.x': ['name'] });
  });

  it('does not confuse a comprehension variable over an untracked list with a tracked one', () => {
    expect(reads('r.tags.exists(r, r.key == "x")')).toEqual({ r: ['tags'] });
  });

  it('counts a computed evidence source as every field of every source', () => {
    expect(reads('evidence[params.source].size() > 0')).toEqual({ [ALL]: [ALL] });
  });

  it('uses the fields functions declare they read', () => {
    expect(reads('size(bucketPublicAccess(r, evidence["s3.pab"], "read")) == 0')).toEqual({ r: ['aclGrants', 'policy', 'publicAccessBlock'], 's3.pab': ['ignorePublicAcls', 'restrictPublicBuckets'] });
  });

  it('names the evidence source a rule.resources expression returns elements of', () => {
    expect(listOrigin('evidence["c.trails"].filter(t, t.type == "T")')).toBe('c.trails');
    expect(listOrigin('evidence["c.trails"]')).toBe('c.trails');
    expect(listOrigin('evidence["c.trails"].map(t, {"id": t.id})')).toBeUndefined();
  });

  it('matches field errors against reads', () => {
    const r = expressionReads('r.versioning == "Enabled"');
    expect(readsAny(r, 'r', ['versioning', 'mfaDelete'])).toBe(true);
    expect(readsAny(r, 'r', ['policy'])).toBe(false);
    expect(readsAny(expressionReads('string(r) != ""'), 'r', ['policy'])).toBe(true);
  });
});

/** Records the top-level keys a function reads of each object argument. */
function recordReads(fn: (...args: unknown[]) => unknown, args: unknown[]): Set<string>[] {
  const seen = args.map(() => new Set<string>());
  const wrap = (value: unknown, i: number): unknown => {
    if (Array.isArray(value)) return value.map((v) => wrap(v, i));
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') seen[i]!.add(key);
        return Reflect.get(target, key, receiver) as unknown;
      },
      has(target, key) {
        if (typeof key === 'string') seen[i]!.add(key);
        return Reflect.has(target, key);
      },
    });
  };
  try {
    fn(...args.map(wrap));
  } catch {
    // Reads made before a throw still count.
  }
  return seen;
}

/** A complete CIS 4.x chain, so the monitoring functions read every field they can. */
const MONITORING_ARGS: unknown[] = [
  [{ id: 't', type: 'AWS::CloudTrail::Trail', name: 't', region: 'us-east-1', isMultiRegion: true, isLogging: true, includeManagementEvents: true, readWriteType: 'ALL', cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:1:log-group:g:*', kmsEncrypted: false }],
  [{ id: 'f', type: 'AWS::Logs::MetricFilter', name: 'f', region: 'us-east-1', logGroupName: 'g', filterPattern: '{ $.a = b }', metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1' }] }],
  [{ id: 'a', type: 'AWS::CloudWatch::Alarm', name: 'a', region: 'us-east-1', metricName: 'M', namespace: 'N', actionsEnabled: true, alarmActions: ['arn:aws:sns:us-east-1:1:t'] }],
  [{ id: 'arn:aws:sns:us-east-1:1:t', type: 'AWS::SNS::Topic', name: 't', region: 'us-east-1', subscriptions: [], confirmedSubscriptionCount: 1 }],
  '{ $.a = b }',
  'us-east-1',
];

describe('declared function reads', () => {
  const bucket = {
    id: 'arn:aws:s3:::b',
    type: 'AWS::S3::Bucket',
    name: 'b',
    policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] },
    aclGrants: [{ granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', granteeId: null, permission: 'READ' }],
    publicAccessBlock: { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false },
    versioning: 'Enabled',
  };
  const account = [{ id: 'AWS::::Account:1', type: 'AWS::::Account', blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }];
  const user = {
    id: 'u',
    type: 'AWS::IAM::User',
    name: 'u',
    passwordEnabled: true,
    passwordLastUsed: null,
    passwordLastChanged: '2025-01-01T00:00:00Z',
    userCreationTime: '2024-01-01T00:00:00Z',
    accessKeys: [{ active: true, lastUsedDate: null, lastRotated: '2025-01-01T00:00:00Z' }],
    mfaActive: false,
  };
  const cases: Record<string, [(...args: unknown[]) => unknown, unknown[]]> = {
    bucketPublicAccess: [bucketPublicAccess as (...args: unknown[]) => unknown, [bucket, account, 'any']],
    unusedCredentialDays: [unusedCredentialDays as (...args: unknown[]) => unknown, [user, '2026-01-01T00:00:00Z']],
    ...Object.fromEntries(monitoringFunctions.map((f) => [f.signature.slice(0, f.signature.indexOf('(')), [f.handler as (...args: unknown[]) => unknown, MONITORING_ARGS]])),
  };

  it('every function that declares reads has a case here', () => {
    expect(celFunctions.filter((f) => f.reads).map((f) => f.signature.slice(0, f.signature.indexOf('('))).sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))('%s reads no field it does not declare', (name, [fn, args]) => {
    const declared = celFunctions.find((f) => f.signature.startsWith(`${name}(`))!.reads!;
    recordReads(fn, args).forEach((keys, i) => {
      const allowed = new Set(declared[i] ?? []);
      const undeclared = [...keys].filter((k) => !allowed.has(k) && !/^(length|constructor|toJSON|then)$/.test(k) && !/^\d+$/.test(k));
      expect(declared[i] === null ? [] : undeclared, `argument ${i}`).toEqual([]);
    });
  });
});
