import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import type { Collector } from '../../../collectors/types.js';
import { checkAccounts } from '../../../src/pipeline/doctor/accounts.js';
import { checkConfigRecording } from '../../../src/pipeline/doctor/config-recording.js';
import { doctor } from '../../../src/pipeline/doctor/doctor.js';
import { DOCTOR_INCOMPLETE_EXIT_CODE, formatDoctor } from '../../../src/pipeline/doctor/format.js';
import { checkIdentity } from '../../../src/pipeline/doctor/identity.js';
import { checkPermissions, principalArn } from '../../../src/pipeline/doctor/permissions.js';
import { checkRegions, probeRegion } from '../../../src/pipeline/doctor/regions.js';
import { checkRole } from '../../../src/pipeline/doctor/role.js';
import { checkSecurityHub } from '../../../src/pipeline/doctor/securityhub.js';
import { awsError, fakeClients, type Answers } from '../../helpers/fake-clients.js';

const A = '111111111111';
const B = '333333333333';
const collector = (id: string, permissions: string[]): Collector => ({ id, permissions }) as unknown as Collector;

describe('doctor checks', () => {
  it('identity: ok names the caller, rejected credentials fail in one line', async () => {
    const ok = await checkIdentity(fakeClients({ GetCallerIdentity: { Account: A, Arn: `arn:aws:iam::${A}:user/alice` } }).clients);
    expect(ok.caller).toEqual({ account: A, arn: `arn:aws:iam::${A}:user/alice` });
    expect(ok.check.status).toBe('ok');
    const bad = await checkIdentity(fakeClients({ GetCallerIdentity: awsError('InvalidClientTokenId', { message: 'The security token included in the request is invalid.\nmore' }) }).clients);
    expect(bad.caller).toBeUndefined();
    expect(bad.check).toMatchObject({ status: 'fail' });
    expect(bad.check.reason).toMatch(/InvalidClientTokenId: The security token .* \(fix: /);
    expect(bad.check.reason).not.toContain('\n');
  });

  it('accounts: the organisation, the listed accounts, or the caller', async () => {
    const org = fakeClients({ ListAccounts: { Accounts: [{ Id: B, Status: 'ACTIVE' }, { Id: A, Status: 'ACTIVE' }, { Id: '222222222222', Status: 'SUSPENDED' }] } });
    expect((await checkAccounts(org.clients, A, { organization: true })).accounts).toEqual([A, B]);
    const denied = await checkAccounts(fakeClients({ ListAccounts: awsError('AccessDeniedException') }).clients, A, { organization: true });
    expect(denied.check.status).toBe('fail');
    expect((await checkAccounts(org.clients, A, { accounts: [B, B] })).accounts).toEqual([B]);
    expect((await checkAccounts(org.clients, A, {})).accounts).toEqual([A]);
  });

  it('role: assumed and confirmed; a missing role or refused AssumeRole names the account', async () => {
    const ok = await checkRole(B, 'Audit', fakeClients({ GetCallerIdentity: { Account: B, Arn: `arn:aws:sts::${B}:assumed-role/Audit/auditpack` }, GetRole: { Role: {} } }).clients);
    expect(ok.status).toBe('ok');
    const missing = await checkRole(B, 'Audit', fakeClients({ GetCallerIdentity: { Account: B, Arn: 'x' }, GetRole: awsError('NoSuchEntity') }).clients);
    expect(missing).toMatchObject({ status: 'fail', account: B });
    expect(missing.reason).toMatch(/^role Audit cannot be assumed in 333333333333: the role does not exist/);
    const refused = await checkRole(B, 'Audit', fakeClients({ GetCallerIdentity: awsError('AccessDenied', { message: 'not authorized to perform: sts:AssumeRole' }) }).clients);
    expect(refused.reason).toMatch(/cannot be assumed in 333333333333: AccessDenied: not authorized/);
    // GetRole not permitted: AssumeRole succeeding is the answer on AWS.
    const unconfirmed = await checkRole(B, 'Audit', fakeClients({ GetCallerIdentity: { Account: B, Arn: 'x' }, GetRole: awsError('AccessDenied') }).clients);
    expect(unconfirmed.status).toBe('ok');
    const wrong = await checkRole(B, 'Audit', fakeClients({ GetCallerIdentity: { Account: A, Arn: 'x' } }).clients);
    expect(wrong.status).toBe('fail');
  });

  it('regions: requested against enabled; a probe refusal is classified', async () => {
    const regions = fakeClients({ DescribeRegions: { Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] } }).clients;
    expect((await checkRegions(regions, undefined)).requested).toEqual(['eu-west-1', 'us-east-1']);
    const missing = await checkRegions(regions, ['ap-east-1', 'us-east-1']);
    expect(missing.checks[0]).toMatchObject({ status: 'fail' });
    expect(missing.checks[0]?.reason).toContain('ap-east-1');
    const probe = fakeClients({ GetCallerIdentity: awsError('InvalidClientTokenId', { httpStatusCode: 403, message: 'The security token included in the request is invalid.' }) }, { region: 'ap-east-1' });
    const refused = await probeRegion(A, 'ap-east-1', 'us-east-1', probe.clients);
    expect(refused).toMatchObject({ status: 'fail', account: A, region: 'ap-east-1' });
    expect(refused.reason).toMatch(/^refused \(region-not-enabled\): region ap-east-1 is not enabled/);
    expect(probe.calls).toHaveLength(1);
    const scp = await probeRegion(A, 'eu-west-1', 'us-east-1', fakeClients({ GetCallerIdentity: awsError('AccessDenied', { httpStatusCode: 403, message: 'User: x is not authorized to perform: sts:GetCallerIdentity with an explicit deny in a service control policy' }) }).clients);
    expect(scp.reason).toMatch(/refused \(scp-deny\)/);
  });

  it('permissions: simulated per collector; a refused simulation is "not simulated", never ok', async () => {
    const cols = [collector('s3.buckets', ['s3:ListAllMyBuckets', 's3:GetBucketPolicy']), collector('kms.keys', ['kms:ListKeys'])];
    const fake = fakeClients({ SimulatePrincipalPolicy: (input) => ({ EvaluationResults: (input.ActionNames as string[]).map((a) => ({ EvalActionName: a, EvalDecision: a === 'kms:ListKeys' ? 'implicitDeny' : 'allowed' })) }) });
    const denied = await checkPermissions(B, `arn:aws:iam::${B}:role/Audit`, cols, ['sts:GetCallerIdentity'], fake.clients);
    expect(denied.status).toBe('fail');
    expect(denied.reason).toMatch(/denied kms:ListKeys; collectors affected: kms\.keys/);
    expect(fake.calls[0]?.input.PolicySourceArn).toBe(`arn:aws:iam::${B}:role/Audit`);
    const allowed = await checkPermissions(B, 'r', cols, [], fakeClients({ SimulatePrincipalPolicy: (input) => ({ EvaluationResults: (input.ActionNames as string[]).map((a) => ({ EvalActionName: a, EvalDecision: 'allowed' })) }) }).clients);
    expect(allowed.status).toBe('ok');
    const refused = await checkPermissions(B, 'r', cols, [], fakeClients({ SimulatePrincipalPolicy: awsError('AccessDenied', { httpStatusCode: 403 }) }).clients);
    expect(refused.status).toBe('warn');
    expect(refused.reason).toMatch(/^not simulated \(3 actions unchecked\): missing permission iam:SimulatePrincipalPolicy/);
    expect(principalArn(`arn:aws:sts::${A}:assumed-role/Admin/me`)).toBe(`arn:aws:iam::${A}:role/Admin`);
  });

  it('config recording and Security Hub per region', async () => {
    expect((await checkConfigRecording(A, 'us-east-1', fakeClients({ DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }] } }).clients)).status).toBe('ok');
    expect((await checkConfigRecording(A, 'us-east-1', fakeClients({ DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [] } }).clients)).status).toBe('warn');
    expect((await checkConfigRecording(A, 'us-east-1', fakeClients({ DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [{ name: 'default', recording: false }] } }).clients)).reason).toMatch(/not recording/);
    expect((await checkSecurityHub(A, 'us-east-1', fakeClients({ DescribeHub: { HubArn: 'arn:hub' } }).clients)).status).toBe('ok');
    const off = await checkSecurityHub(A, 'us-east-1', fakeClients({ DescribeHub: awsError('InvalidAccessException') }).clients);
    expect(off).toMatchObject({ status: 'fail', region: 'us-east-1' });
  });
});

describe('doctor', () => {
  const answers = (account: string): Answers => ({
    GetCallerIdentity: { Account: account, Arn: `arn:aws:iam::${account}:user/alice` },
    ListAccounts: { Accounts: [{ Id: A, Status: 'ACTIVE' }, { Id: B, Status: 'ACTIVE' }] },
    DescribeRegions: { Regions: [{ RegionName: 'us-east-1' }] },
    GetRole: account === B ? awsError('NoSuchEntity') : { Role: {} },
    SimulatePrincipalPolicy: awsError('AccessDenied', { httpStatusCode: 403 }),
    DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [] },
  });
  const access = (account: string) => () => fakeClients(answers(account === 'caller' ? A : account)).clients;

  it('names the account whose role is missing, marks the report incomplete, and renders one table', async () => {
    const report = await doctor({ organization: true, roleName: 'Audit', homeRegion: 'us-east-1', collectors: [collector('s3.buckets', ['s3:ListAllMyBuckets'])], access });
    expect(report.incomplete).toBe(true);
    expect(report.caller?.account).toBe(A);
    expect(report.accounts).toEqual([A, B]);
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ check: 'role', account: B });
    expect(report.checks.filter((c) => c.account === A).map((c) => `${c.check}:${c.status}`)).toEqual(['identity:ok', 'permissions:warn', 'region-probe:ok', 'config-recording:warn']);
    const table = formatDoctor(report);
    expect(table).toMatch(/FAIL\s+role\s+333333333333\s+role Audit cannot be assumed in 333333333333/);
    expect(table.split('\n').at(-1)).toMatch(/the audit would be incomplete/);
    expect(DOCTOR_INCOMPLETE_EXIT_CODE).toBe(3);
  });

  it('fails an account other than the caller\'s without --role-name', async () => {
    const report = await doctor({ accounts: [B], homeRegion: 'us-east-1', collectors: [], access });
    expect(report.checks.find((c) => c.account === B)).toMatchObject({ check: 'role', status: 'fail' });
  });
});

describe('doctor: hostile scope', () => {
  it('refuses an account id that is not 12 digits before any AWS call, as run does', async () => {
    const asked: string[] = [];
    const access = (account: string) => () => {
      asked.push(account);
      throw new Error('no AWS call expected');
    };
    await expect(doctor({ accounts: ['../123456789012', '*'], access } as unknown as Parameters<typeof doctor>[0])).rejects.toBeInstanceOf(UserError);
    expect(asked).toEqual([]);
  });
});
