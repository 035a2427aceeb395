import { describe, expect, it } from 'vitest';
import { analyzers } from '../../../collectors/accessanalyzer/analyzers.js';
import { alternateContact } from '../../../collectors/account/alternate-contact.js';
import { accountSummary } from '../../../collectors/iam/account-summary.js';
import { authorizationDetails } from '../../../collectors/iam/authorization-details.js';
import { credentialReport } from '../../../collectors/iam/credential-report.js';
import { passwordPolicy } from '../../../collectors/iam/password-policy.js';
import { virtualMfaDevices } from '../../../collectors/iam/virtual-mfa-devices.js';
import { collectors, collectorsOf } from '../../../collectors/index.js';
import type { Collector } from '../../../collectors/types.js';
import { clientsFor } from '../../../src/collect/aws-access.js';
import { runCollector } from '../../../src/collect/run-collector.js';
import type { Resource } from '../../../src/core/types.js';
import { useSeededEstate } from '../../helpers/estate.js';

/**
 * Identity against moto: the demo organisation seeded with the iam and account seeders (hardened management
 * account, sloppy member), the real IAM, Account and Access Analyzer collectors, then the pipeline for every
 * control on their evidence against test/fixtures/estate/{iam,account}.yaml.
 */
// Server certificates have their own seeder and fixture (server-certificates), judged in cis-remaining.test.ts.
const identityCollectors = collectorsOf('iam', 'account', 'accessanalyzer').filter((c) => c.id !== 'iam.server-certificates');
const seeded = useSeededEstate('iam', 'account');

async function collectOk(collector: Collector, account: string, region = 'us-east-1'): Promise<Resource[]> {
  const record = await runCollector(collector, { account, region, clients: seeded.access(account).forRegion(region) });
  expect(record.error, JSON.stringify(record.error)).toBeUndefined();
  expect(record.status).toBe('ok');
  return record.resources;
}

const byName = (resources: Resource[], type: string) => new Map(resources.filter((r) => r.type === type).map((r) => [r.name, r]));

describe('iam, account and accessanalyzer collectors against moto', () => {
  it('iam.credential-report: one resource per user, normalised (moto has no <root_account> row)', async () => {
    for (const account of [seeded.estate.management, seeded.estate.member]) {
      const resources = await collectOk(credentialReport, account);
      expect(resources.some((r) => r.type === 'AWS::::Account')).toBe(false);
      const users = byName(resources, 'AWS::IAM::User');
      expect([...users.keys()].sort()).toEqual(account === seeded.estate.management ? ['ap-alice', 'ap-bob', 'ap-carol', 'ap-ci-deploy'] : ['ap-alice', 'ap-bob', 'ap-carol', 'ap-ci-deploy', 'ap-dave']);
      expect(users.get('ap-alice')).toMatchObject({ id: `arn:aws:iam::${account}:user/ap-alice`, passwordEnabled: true, mfaActive: true, accessKeys: [], passwordLastUsed: null });
      expect(users.get('ap-bob')).toMatchObject({ passwordEnabled: true, mfaActive: false });
      const carol = users.get('ap-carol');
      expect(carol).toMatchObject({ passwordEnabled: false, activeAccessKeys: 1 });
      expect(carol?.accessKeys).toEqual([expect.objectContaining({ slot: 1, active: true, lastUsedDate: null, lastRotated: expect.stringMatching(/Z$/) })]);
      const ci = users.get('ap-ci-deploy');
      expect((ci?.accessKeys as { active: boolean }[]).map((k) => k.active)).toEqual(account === seeded.estate.management ? [true, false] : [true, true]);
      expect(typeof carol?.userCreationTime).toBe('string');
    }
  });

  it('iam.account-summary: moto always reports root MFA 0 and no root keys', async () => {
    const [summary] = await collectOk(accountSummary, seeded.estate.member);
    expect(summary).toMatchObject({ id: `AWS::::Account:${seeded.estate.member}`, rootMfaEnabled: false, rootAccessKeysPresent: false });
  });

  it('iam.password-policy: strong in the management account, weak in the member', async () => {
    const [strong] = await collectOk(passwordPolicy, seeded.estate.management);
    expect(strong).toMatchObject({ id: `AWS::::Account:${seeded.estate.management}`, present: true, minimumPasswordLength: 14, passwordReusePrevention: 24, maxPasswordAge: 90, requireSymbols: true });
    const [weak] = await collectOk(passwordPolicy, seeded.estate.member);
    expect(weak).toMatchObject({ present: true, minimumPasswordLength: 8, passwordReusePrevention: 5, maxPasswordAge: 0, requireSymbols: false });
  });

  it('iam.password-policy: no policy is present:false (NoSuchEntity), not an error', async () => {
    const lonely = '333333333333';
    const [resource] = await collectOk(passwordPolicy, lonely);
    expect(resource).toEqual({ id: `AWS::::Account:${lonely}`, type: 'AWS::::Account', name: lonely, present: false });
  });

  it('iam.authorization-details: users, groups and customer-managed policies with decoded default documents', async () => {
    const resources = await collectOk(authorizationDetails, seeded.estate.member);
    const users = byName(resources, 'AWS::IAM::User');
    expect(users.get('ap-alice')).toMatchObject({ groups: ['ap-developers'], attachedManagedPolicies: [], inlinePolicyNames: [] });
    expect(users.get('ap-bob')).toMatchObject({ attachedManagedPolicies: [`arn:aws:iam::${seeded.estate.member}:policy/ap-s3-read-reports`], inlinePolicyNames: [] });
    expect(users.get('ap-ci-deploy')).toMatchObject({ attachedManagedPolicies: [], inlinePolicyNames: ['ap-ci-cloudformation'] });
    expect(byName(resources, 'AWS::IAM::Group').get('ap-admins')).toMatchObject({ attachedManagedPolicies: [`arn:aws:iam::${seeded.estate.member}:policy/ap-admin-star`] });
    const policies = byName(resources, 'AWS::IAM::Policy');
    expect([...policies.keys()].sort()).toEqual(['ap-admin-star', 'ap-deny-insecure-transport', 'ap-s3-read-reports']);
    expect(policies.get('ap-admin-star')).toMatchObject({
      id: `arn:aws:iam::${seeded.estate.member}:policy/ap-admin-star`,
      defaultVersionId: 'v1',
      attachmentCount: 1,
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
  });

  it('iam.virtual-mfa-devices: the user device, no root device, no seed material', async () => {
    const [resource] = await collectOk(virtualMfaDevices, seeded.estate.management);
    expect(resource).toMatchObject({ rootVirtualMfa: false, assignedVirtualMfaDevices: [expect.objectContaining({ userName: 'ap-alice', root: false })] });
    expect(JSON.stringify(resource)).not.toMatch(/Base32|QRCode/i);
  });

  // Not a gap in moto 5.2.1: Get/PutAlternateContact are implemented (per account), so this runs for real.
  it('account.alternate-contact: present in the management account, absent (ResourceNotFound) in the member', async () => {
    const [management] = await collectOk(alternateContact, seeded.estate.management);
    expect(management).toMatchObject({ present: true, hasName: true, hasEmail: true, hasPhone: true, title: 'SOC' });
    const [member] = await collectOk(alternateContact, seeded.estate.member);
    expect(member).toMatchObject({ id: `AWS::::Account:${seeded.estate.member}`, present: false });
  });

  it('moto gap: Access Analyzer ListAnalyzers yields an error record with a clear message (fail closed)', async () => {
    const record = await runCollector(analyzers, { account: seeded.estate.management, region: 'eu-west-1', clients: seeded.access(seeded.estate.management).forRegion('eu-west-1') });
    expect(record.status).toBe('error');
    expect(record.region).toBe('eu-west-1');
    expect(record.resources).toEqual([]);
    expect(record.error?.action).toBe('access-analyzer:ListAnalyzers');
    expect(record.error?.message).toMatch(/access-analyzer:ListAnalyzers/);
  });

  it('moto gap: alternate contacts — an endpoint without the Account API is an error, never "no contact"', async () => {
    // Point the Account client at a port that answers every request with a non-AWS body.
    const bogus = clientsFor({ account: seeded.estate.management, endpoint: `${seeded.moto.endpoint}/moto-api/`, maxAttempts: 1 }).forRegion('us-east-1');
    const record = await runCollector(alternateContact, { account: seeded.estate.management, region: 'us-east-1', clients: bogus });
    expect(record.status).toBe('error');
    expect(record.error?.action).toBe('account:GetAlternateContact');
  });

  it('declares the IAM actions each collector calls', () => {
    const calls = new Map<string, string[]>([
      ['iam.credential-report', ['iam:GenerateCredentialReport', 'iam:GetCredentialReport']],
      ['iam.password-policy', ['iam:GetAccountPasswordPolicy']],
      ['iam.authorization-details', ['iam:GetAccountAuthorizationDetails']],
      ['iam.virtual-mfa-devices', ['iam:ListVirtualMFADevices']],
      ['account.alternate-contact', ['account:GetAlternateContact']],
      ['accessanalyzer.analyzers', ['access-analyzer:ListAnalyzers']],
    ]);
    for (const [id, actions] of calls) expect(collectors.find((c) => c.id === id)?.permissions).toEqual(actions);
  });
});

describe('identity controls through the pipeline', () => {
  it('every seeded expectation holds exactly, with a mix of verdicts in both accounts', async () => {
    const { controls, expected, mismatches } = await seeded.assessControlsOf(identityCollectors);
    expect(mismatches).toEqual([]);
    for (const account of [seeded.estate.management, seeded.estate.member]) {
      const mine = expected.filter((e) => e.account === account);
      expect([...new Set(mine.map((e) => e.control))].sort()).toEqual([...controls].sort());
      expect([...new Set(mine.map((e) => e.status))].sort()).toEqual(['ERROR', 'FAIL', 'PASS']);
    }
  }, 180_000);
});
