import { describe, expect, it } from 'vitest';
import { describeFailure, type FailureScope } from '../../../src/collect/failure.js';
import { awsError } from '../../helpers/fake-clients.js';

/** An SDK error as a collector call throws it: the AWS code and message, and the IAM action the call log stamps on it. */
function failure(code: string, message: string, action: string, httpStatusCode = 400): Error {
  return Object.assign(awsError(code, { message, httpStatusCode }), { auditpackAction: action });
}

const WHO = 'User: arn:aws:sts::111111111111:assumed-role/AuditpackReadOnly/auditpack';
const EU = { region: 'eu-west-1', homeRegion: 'us-east-1' } satisfies FailureScope;
const HOME = { region: 'us-east-1', homeRegion: 'us-east-1' } satisfies FailureScope;
const GLOBAL = { region: 'global', homeRegion: 'us-east-1' } satisfies FailureScope;

describe('describeFailure: explicit deny in a service control policy', () => {
  // Each protocol's code for a denied call, with the message in AWS's documented access-denied format.
  const protocols = [
    { protocol: 'awsJson (KMS)', code: 'AccessDeniedException', status: 400, action: 'kms:ListKeys', prefix: '' },
    { protocol: 'restJson (GuardDuty)', code: 'AccessDeniedException', status: 403, action: 'guardduty:ListDetectors', prefix: '' },
    { protocol: 'query (IAM)', code: 'AccessDenied', status: 403, action: 'iam:GetAccountSummary', prefix: '' },
    { protocol: 'EC2', code: 'UnauthorizedOperation', status: 403, action: 'ec2:DescribeVolumes', prefix: 'You are not authorized to perform this operation. ' },
    { protocol: 'restXml (S3)', code: 'AccessDenied', status: 403, action: 's3:ListAllMyBuckets', prefix: '' },
    { protocol: 'query (SNS)', code: 'AuthorizationError', status: 403, action: 'sns:ListTopics', prefix: '' },
  ];

  for (const p of protocols) {
    it(`recognises ${p.protocol} ${p.code} "with an explicit deny in a service control policy"`, () => {
      const err = failure(p.code, `${p.prefix}${WHO} is not authorized to perform: ${p.action} with an explicit deny in a service control policy`, p.action, p.status);
      const e = describeFailure(err, [], EU);
      expect(e).toMatchObject({ code: p.code, action: p.action, refusal: 'scp-deny' });
      expect(e.message).toMatch(new RegExp(`^${p.action} is denied by a service control policy in eu-west-1: `));
      expect(e.message).toMatch(/\(fix: have the organisation exempt the audit role from the SCP, or exclude eu-west-1 with --regions\)$/);
    });
  }

  it('recognises the enhanced message that ends with the SCP ARN', () => {
    const msg = `${WHO} is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::111111111111:role/* with an explicit deny in a service control policy: arn:aws:organizations::999999999999:policy/o-abc/service_control_policy/p-1234`;
    expect(describeFailure(failure('AccessDenied', msg, 'iam:ListRoles', 403), [], GLOBAL).refusal).toBe('scp-deny');
  });

  it('recognises "because no service control policy allows the … action" (an allow-list SCP)', () => {
    const msg = `${WHO} is not authorized to perform: guardduty:ListDetectors because no service control policy allows the guardduty:ListDetectors action`;
    const e = describeFailure(failure('AccessDeniedException', msg, 'guardduty:ListDetectors', 403), [], EU);
    expect(e.refusal).toBe('scp-deny');
  });

  it('names the action AWS says was denied, which may differ from the call that failed', () => {
    const msg = `${WHO} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111111111111:key/1 with an explicit deny in a service control policy`;
    expect(describeFailure(failure('AccessDeniedException', msg, 'kms:DescribeKey'), [], EU)).toMatchObject({ action: 'kms:DescribeKey', refusal: 'scp-deny' });
    expect(describeFailure(failure('AccessDeniedException', msg, 'kms:DescribeKey'), [], EU).message).toMatch(/^kms:Decrypt is denied by a service control policy/);
  });

  it('falls back to the failing call when the denied action is not written as AWS writes it', () => {
    const msg = `${WHO} is not authorized to perform: guardduty:GET /detector with an explicit deny in a service control policy`;
    expect(describeFailure(failure('AccessDeniedException', msg, 'guardduty:ListDetectors', 403), [], EU).message).toMatch(/^guardduty:ListDetectors is denied by a service control policy/);
  });

  it('does not suggest --regions for account-wide (global) evidence: leaving a region out would not help', () => {
    const e = describeFailure(failure('AccessDenied', `${WHO} is not authorized to perform: iam:GetAccountSummary with an explicit deny in a service control policy`, 'iam:GetAccountSummary', 403), [], GLOBAL);
    expect(e.refusal).toBe('scp-deny');
    expect(e.message).not.toContain('--regions');
    expect(e.message).toMatch(/\(fix: have the organisation exempt the audit role from the SCP\)$/);
  });

  it('keeps other denials as a missing permission: identity policy, permissions boundary, explicit deny elsewhere', () => {
    for (const context of [
      'because no identity-based policy allows the kms:ListKeys action',
      'with an explicit deny in an identity-based policy',
      'because no permissions boundary allows the kms:ListKeys action',
      'with an explicit deny in a resource control policy',
    ]) {
      const e = describeFailure(failure('AccessDeniedException', `${WHO} is not authorized to perform: kms:ListKeys ${context}`, 'kms:ListKeys'), [], EU);
      expect(e.refusal).toBeUndefined();
      expect(e.message).toBe(`missing permission kms:ListKeys: ${WHO} is not authorized to perform: kms:ListKeys ${context}`);
    }
  });

  it('does not take an SCP phrase in a non-denial error for a refusal', () => {
    const e = describeFailure(failure('ValidationException', 'name "with an explicit deny in a service control policy" is invalid', 'config:DescribeConfigRules'), [], EU);
    expect(e.refusal).toBeUndefined();
  });
});

describe('describeFailure: a region that is not enabled', () => {
  // How each protocol answers a request signed for a region the account has not enabled.
  const protocols = [
    { protocol: 'awsJson (KMS)', code: 'UnrecognizedClientException', status: 400, action: 'kms:ListKeys', message: 'The security token included in the request is invalid.' },
    { protocol: 'restJson (Lambda)', code: 'UnrecognizedClientException', status: 403, action: 'lambda:ListFunctions', message: 'The security token included in the request is invalid.' },
    { protocol: 'query (RDS)', code: 'InvalidClientTokenId', status: 403, action: 'rds:DescribeDBInstances', message: 'The security token included in the request is invalid.' },
    { protocol: 'EC2', code: 'AuthFailure', status: 401, action: 'ec2:DescribeVolumes', message: 'AWS was not able to validate the provided access credentials' },
    { protocol: 'restXml (S3)', code: 'InvalidAccessKeyId', status: 403, action: 's3:GetBucketPolicy', message: 'The AWS Access Key Id you provided does not exist in our records.' },
    { protocol: 'restJson, unmodelled code', code: 'ForbiddenException', status: 403, action: 'efs:DescribeFileSystems', message: 'The security token included in the request is invalid' },
  ];

  for (const p of protocols) {
    it(`recognises ${p.protocol} ${p.code} outside the home region`, () => {
      const e = describeFailure(failure(p.code, p.message, p.action, p.status), [], EU);
      expect(e).toMatchObject({ code: p.code, action: p.action, refusal: 'region-not-enabled' });
      expect(e.message).toBe(`region eu-west-1 is not enabled for this account: ${p.action} was refused ("${p.message}") although us-east-1 accepts the same credentials (fix: exclude it with --regions, or enable the region)`);
    });
  }

  it('is bad credentials, not a region, in the home region, for global evidence, or when the home region is unknown', () => {
    const err = failure('UnrecognizedClientException', 'The security token included in the request is invalid.', 'kms:ListKeys');
    for (const scope of [HOME, GLOBAL, { region: 'eu-west-1' }, undefined]) {
      const e = describeFailure(err, [], scope);
      expect(e.refusal).toBeUndefined();
      expect(e.message).toBe('kms:ListKeys failed: The security token included in the request is invalid.');
    }
  });

  it('does not take an expired token or a bad signature for a region refusal', () => {
    for (const code of ['ExpiredTokenException', 'SignatureDoesNotMatch']) {
      expect(describeFailure(failure(code, 'The security token included in the request is expired', 'kms:ListKeys'), [], EU).refusal).toBeUndefined();
    }
  });
});

describe('describeFailure: a service the account is not subscribed to', () => {
  const protocols = [
    { protocol: 'query/EC2', code: 'OptInRequired', status: 403, action: 'ec2:DescribeInstances', message: 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.' },
    { protocol: 'awsJson', code: 'SubscriptionRequiredException', status: 400, action: 'guardduty:ListDetectors', message: 'The AWS Access Key Id needs a subscription for the service' },
    { protocol: 'restXml (S3)', code: 'NotSignedUp', status: 403, action: 's3:ListAllMyBuckets', message: 'Your account is not signed up for the Amazon S3 service.' },
  ];

  for (const p of protocols) {
    it(`recognises ${p.protocol} ${p.code}`, () => {
      const e = describeFailure(failure(p.code, p.message, p.action, p.status), [], EU);
      const service = p.action.split(':')[0];
      expect(e).toMatchObject({ code: p.code, action: p.action, refusal: 'not-subscribed' });
      expect(e.message).toBe(`the account is not subscribed to ${service} in eu-west-1 (${p.action}: ${p.message}) (fix: subscribe the account to the service, or exclude eu-west-1 with --regions)`);
    });
  }
});

describe('describeFailure: untrusted AWS text', () => {
  it('keeps only the first line of the message and bounds it', () => {
    const long = `${WHO} is not authorized to perform: ec2:DescribeVolumes with an explicit deny in a service control policy. Encoded authorization failure message: ${'x'.repeat(5000)}\nsecond line`;
    const e = describeFailure(failure('UnauthorizedOperation', long, 'ec2:DescribeVolumes', 403), [], EU);
    expect(e.refusal).toBe('scp-deny');
    expect(e.message).not.toContain('second line');
    expect(e.message.length).toBeLessThan(600);
  });

  it('leaves throttling and plain failures as they were', () => {
    expect(describeFailure(failure('ThrottlingException', 'Rate exceeded', 'kms:ListKeys'), [], EU)).toEqual({ code: 'ThrottlingException', action: 'kms:ListKeys', message: 'throttled and never succeeded on kms:ListKeys after all retries: Rate exceeded' });
    expect(describeFailure(failure('InternalFailure', 'boom', 'kms:ListKeys', 500), [], EU)).toEqual({ code: 'InternalFailure', action: 'kms:ListKeys', message: 'kms:ListKeys failed: boom' });
  });
});
