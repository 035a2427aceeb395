import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { describeFailure } from '../../../src/collect/failure.js';
import { iamAction } from '../../../src/collect/call-log.js';
import { REDACTED, redactSecrets } from '../../../src/collect/redact.js';
import { canonicalJson } from '../../../src/core/json.js';
import { auditorPolicy, nonReadOnlyActions } from '../../../src/policy/policy.js';
import { daysBetween } from '../../../src/rules/functions/common.js';
import { weightedScore } from '../../../src/score/score.js';

describe('describeFailure', () => {
  const calls = [{ service: 'iam', action: 'GenerateCredentialReport', at: 't', ok: false, errorCode: 'AccessDenied' }];
  it('names the missing permission on AccessDenied', () => {
    const err = Object.assign(new Error('User is not authorized'), { name: 'AccessDenied', auditpackAction: 'iam:GenerateCredentialReport' });
    expect(describeFailure(err, calls)).toEqual({ code: 'AccessDenied', action: 'iam:GenerateCredentialReport', message: 'missing permission iam:GenerateCredentialReport: User is not authorized' });
  });
  it('says when throttling never succeeded', () => {
    const err = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', auditpackAction: 'ec2:DescribeVolumes' });
    expect(describeFailure(err, []).message).toBe('throttled and never succeeded on ec2:DescribeVolumes after all retries: Rate exceeded');
  });
  it('explains an unimplemented API answered with HTML', () => {
    const err = Object.assign(new Error('Deserialization error: to see the raw response, inspect the hidden field'), { name: 'SyntaxError', $metadata: { httpStatusCode: 500 }, auditpackAction: 'access-analyzer:ListAnalyzers' });
    expect(describeFailure(err, []).message).toMatch(/access-analyzer:ListAnalyzers is not available at this endpoint \(HTTP 500/);
  });
});

describe('iamAction', () => {
  it('maps SDK operations to IAM actions, including renamed ones', () => {
    expect(iamAction('IAMClient', 'GetCredentialReportCommand')).toBe('iam:GetCredentialReport');
    expect(iamAction('S3Client', 'GetBucketEncryptionCommand')).toBe('s3:GetEncryptionConfiguration');
    expect(iamAction('S3ControlClient', 'GetPublicAccessBlockCommand')).toBe('s3:GetAccountPublicAccessBlock');
    expect(iamAction('S3Client', 'GetPublicAccessBlockCommand')).toBe('s3:GetBucketPublicAccessBlock');
    expect(iamAction('EFSClient', 'DescribeFileSystemsCommand')).toBe('elasticfilesystem:DescribeFileSystems');
  });
});

describe('redactSecrets', () => {
  it('replaces secret-named values at any depth and keeps the rest', () => {
    const out = redactSecrets({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 's', SessionToken: 't' }, list: [{ Password: 'p', Name: 'n' }] });
    expect(out).toEqual({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: REDACTED, SessionToken: REDACTED }, list: [{ Password: REDACTED, Name: 'n' }] });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level so equal data gives equal bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: [2, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: undefined, b: 2n })).toBe('{\n  "b": 2\n}\n');
  });
});

describe('weightedScore', () => {
  it('weighs by severity and counts ERROR against the score', () => {
    expect(weightedScore([{ severity: 'critical', status: 'PASS' }, { severity: 'low', status: 'FAIL' }])).toBe(90.9);
    expect(weightedScore([{ severity: 'critical', status: 'ERROR' }, { severity: 'low', status: 'PASS' }])).toBe(9.1);
    expect(weightedScore([{ severity: 'high', status: 'MANUAL' }])).toBeNull();
  });
});

describe('daysBetween', () => {
  it('counts whole days and returns -1 for non-dates', () => {
    expect(daysBetween('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z')).toBe(90n);
    expect(daysBetween('N/A', '2026-04-01T00:00:00Z')).toBe(-1n);
  });
});

describe('auditor policy', () => {
  it('is read-only and covers every collector permission', () => {
    expect(nonReadOnlyActions(collectors)).toEqual([]);
    const actions = auditorPolicy(collectors).Statement[0]?.Action ?? [];
    for (const c of collectors) for (const p of c.permissions) expect(actions).toContain(p);
    expect(new Set(collectors.map((c) => c.id)).size).toBe(collectors.length);
  });
});
