/**
 * Logging, detection and data services against moto: seed two accounts × two Regions with real SDK calls, run the
 * real collectors, check the normalised evidence (and that no secret value reaches it), then run the whole
 * pipeline for this domain's controls and check every seeder expectation exactly.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggingDataCollectors } from '../../collectors/logging-data.js';
import type { Collector } from '../../collectors/types.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { runCollector } from '../../src/collect/run-collector.js';
import type { AccountClients } from '../../src/collect/clients.js';
import type { EvidenceRecord, Resource } from '../../src/core/types.js';
import { motoEnv, startMoto, type MotoServer } from '../../src/demo/moto.js';
import { seedLoggingData } from '../../src/demo/seed/logging-data.js';
import { SEEDED_SECRET_VALUES } from '../../src/demo/seed/logging-data/data-stores.js';
import { SEEDED_ENV_SECRETS } from '../../src/demo/seed/logging-data/functions.js';
import type { Expectation } from '../../src/demo/seed/types.js';

const MGMT = '123456789012';
const MEMBER = '222222222222';
const ROLE = 'OrganizationAccountAccessRole';
const REGIONS = ['us-east-1', 'eu-west-1'];
const CONTROL_IDS = [
  'cloudtrail-multi-region-enabled',
  'cloudtrail-log-file-validation',
  'cloudtrail-kms-encryption',
  'config-recording-enabled',
  'guardduty-enabled',
  'rds-storage-encrypted',
  'rds-not-public',
  'kms-key-rotation',
  'efs-encrypted',
  'secretsmanager-rotation-enabled',
  'lambda-env-no-secrets',
];

let moto: MotoServer;
const savedEnv = { ...process.env };
const accounts = new Map<string, AccountClients>();
const expectations: Expectation[] = [];
const evidence = new Map<string, EvidenceRecord>();

const key = (collector: string, account: string, region: string): string => `${collector}|${account}|${region}`;
function record(collector: string, account: string, region: string): EvidenceRecord {
  const found = evidence.get(key(collector, account, region));
  if (!found) throw new Error(`no evidence for ${collector} ${account} ${region}`);
  return found;
}
const resources = (collector: string, account: string, region: string): Resource[] => record(collector, account, region).resources;
const byName = (list: Resource[], name: string): Resource => {
  const found = list.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name} in ${list.map((r) => r.name).join(', ')}`);
  return found;
};

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, motoEnv(moto.endpoint));
  accounts.set(MGMT, clientsFor({ account: MGMT, endpoint: moto.endpoint, maxAttempts: 2 }));
  accounts.set(MEMBER, clientsFor({ account: MEMBER, roleName: ROLE, endpoint: moto.endpoint, maxAttempts: 2 }));
  for (const [account, clients] of accounts) {
    for (const [i, region] of REGIONS.entries()) {
      expectations.push(...(await seedLoggingData({ account, region, primary: i === 0, clients: clients.forRegion(region) })));
    }
  }
  for (const [account, clients] of accounts) {
    for (const region of REGIONS) {
      for (const collector of loggingDataCollectors) {
        evidence.set(key(collector.id, account, region), await runCollector(collector, { account, region, clients: clients.forRegion(region) }));
      }
    }
  }
}, 180_000);

afterAll(async () => {
  await moto?.stop();
  process.env = savedEnv;
});

describe('logging & data collectors against moto', () => {
  it('every collector succeeds in every account and Region', () => {
    const failed = [...evidence.values()].filter((r) => r.status !== 'ok').map((r) => `${r.collector.id} ${r.account} ${r.region}: ${r.error?.message}`);
    expect(failed).toEqual([]);
    expect(evidence.size).toBe(loggingDataCollectors.length * 4);
    for (const r of evidence.values()) for (const res of r.resources) expect(res.region).toBe(r.region);
  });

  it('declares region scope and IAM actions for every call it makes', () => {
    for (const c of loggingDataCollectors) expect(c.scope).toBe('region');
    for (const r of evidence.values()) {
      const collector = loggingDataCollectors.find((c) => c.id === r.collector.id) as Collector;
      for (const call of r.calls) expect(collector.permissions).toContain(`${call.service}:${call.action}`);
    }
  });

  it('cloudtrail.trails: a multi-Region trail is seen from every Region, judged at home', () => {
    const home = resources('cloudtrail.trails', MGMT, 'us-east-1');
    const away = resources('cloudtrail.trails', MGMT, 'eu-west-1');
    const orgTrail = {
      id: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/auditpack-org-trail`,
      type: 'AWS::CloudTrail::Trail',
      homeRegion: 'us-east-1',
      isMultiRegion: true,
      isLogging: true,
      logFileValidation: true,
      kmsEncrypted: true,
      s3BucketName: `auditpack-logs-${MGMT}-us-east-1`,
      includeManagementEvents: true,
      readWriteType: 'ALL',
    };
    expect(byName(home, 'auditpack-org-trail')).toMatchObject({ ...orgTrail, isShadow: false });
    expect(byName(away, 'auditpack-org-trail')).toMatchObject({ ...orgTrail, isShadow: true, region: 'eu-west-1' });
    expect(byName(away, 'auditpack-app-trail-eu-west-1')).toMatchObject({ isMultiRegion: false, isLogging: false, logFileValidation: false, kmsEncrypted: false, kmsKeyId: null });
    expect(home.find((r) => r.type === 'AWS::::Account')).toMatchObject({ id: `AWS::::Account:${MGMT}`, trailCount: 1, multiRegionTrailCount: 1 });
    expect(away.find((r) => r.type === 'AWS::::Account')).toMatchObject({ trailCount: 2, multiRegionTrailCount: 1 });
    const member = resources('cloudtrail.trails', MEMBER, 'us-east-1');
    expect(byName(member, 'auditpack-regional-trail-us-east-1')).toMatchObject({ isMultiRegion: false, isLogging: true, logFileValidation: false, kmsEncrypted: true });
    expect(member.find((r) => r.type === 'AWS::::Account')).toMatchObject({ multiRegionTrailCount: 0 });
  });

  it('config.recorders: one account resource per Region', () => {
    const [primary] = resources('config.recorders', MGMT, 'us-east-1');
    expect(primary).toMatchObject({
      id: `AWS::::Account:${MGMT}`,
      type: 'AWS::::Account',
      recorderPresent: true,
      recording: true,
      allSupported: true,
      includeGlobalResourceTypes: true,
      recordingStrategy: 'ALL_SUPPORTED_RESOURCE_TYPES',
      roleArn: `arn:aws:iam::${MGMT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      deliveryChannelPresent: true,
      configRuleCount: 0,
    });
    expect(resources('config.recorders', MEMBER, 'us-east-1')[0]).toMatchObject({ recording: true, roleArn: `arn:aws:iam::${MEMBER}:role/auditpack-config-recorder` });
    expect(resources('config.recorders', MGMT, 'eu-west-1')).toEqual([
      expect.objectContaining({ recorderPresent: false, recording: false, roleArn: null, deliveryChannelPresent: false, recorders: [] }),
    ]);
  });

  it('guardduty.detectors: detectors per Region', () => {
    expect(resources('guardduty.detectors', MGMT, 'us-east-1')[0]).toMatchObject({
      id: `AWS::::Account:${MGMT}`,
      enabledDetectorCount: 1,
      detectors: [expect.objectContaining({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' })],
    });
    expect(resources('guardduty.detectors', MGMT, 'eu-west-1')[0]).toMatchObject({ detectors: [], enabledDetectorCount: 0 });
    expect(resources('guardduty.detectors', MEMBER, 'eu-west-1')[0]).toMatchObject({ enabledDetectorCount: 1 });
  });

  it('rds.instances, efs.file-systems: encryption and exposure', () => {
    const dbs = resources('rds.instances', MGMT, 'us-east-1');
    expect(byName(dbs, 'auditpack-orders-db')).toMatchObject({ id: `arn:aws:rds:us-east-1:${MGMT}:db:auditpack-orders-db`, type: 'AWS::RDS::DBInstance', engine: 'postgres', storageEncrypted: true, publiclyAccessible: false });
    expect(byName(dbs, 'auditpack-legacy-db')).toMatchObject({ engine: 'mysql', storageEncrypted: false, publiclyAccessible: true, kmsKeyId: null });
    expect(resources('rds.instances', MEMBER, 'eu-west-1').map((r) => r.id)).toEqual([`arn:aws:rds:eu-west-1:${MEMBER}:db:auditpack-reports-db`]);
    const fss = resources('efs.file-systems', MGMT, 'us-east-1');
    expect(byName(fss, 'auditpack-shared-data')).toMatchObject({ type: 'AWS::EFS::FileSystem', encrypted: true });
    expect(byName(fss, 'auditpack-scratch')).toMatchObject({ encrypted: false });
    expect(byName(fss, 'auditpack-scratch').id).toMatch(/^arn:aws:elasticfilesystem:us-east-1:123456789012:file-system\/fs-/);
  });

  it('kms.keys: rotation only where it applies', () => {
    const keys = resources('kms.keys', MEMBER, 'us-east-1');
    expect(byName(keys, 'alias/auditpack-logs')).toMatchObject({ type: 'AWS::KMS::Key', keyManager: 'CUSTOMER', rotationApplicable: true, rotationEnabled: true });
    expect(byName(keys, 'alias/auditpack-app-data')).toMatchObject({ rotationApplicable: true, rotationEnabled: false });
    expect(byName(keys, 'alias/auditpack-release-signing')).toMatchObject({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', rotationApplicable: false, rotationEnabled: null });
    expect(byName(keys, 'alias/auditpack-logs').id).toMatch(/^arn:aws:kms:us-east-1:222222222222:key\//);
    const raw = record('kms.keys', MEMBER, 'us-east-1').raw;
    expect(Object.keys(raw).filter((k) => k.startsWith('GetKeyRotationStatus:'))).toHaveLength(2);
  });

  it('secretsmanager.secrets: rotation metadata only', () => {
    const secrets = resources('secretsmanager.secrets', MGMT, 'us-east-1');
    expect(byName(secrets, 'auditpack/orders-db')).toMatchObject({
      type: 'AWS::SecretsManager::Secret',
      rotationEnabled: true,
      rotationRules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: null },
    });
    expect(byName(secrets, 'auditpack/orders-db').lastRotatedDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byName(secrets, 'auditpack/legacy-api-key')).toMatchObject({ rotationEnabled: false, rotationRules: null, lastRotatedDate: null });
    for (const r of evidence.values()) for (const call of r.calls) expect(call.action).not.toBe('GetSecretValue');
  });

  it('lambda.functions: variable names and verdicts, never values', () => {
    const fns = resources('lambda.functions', MGMT, 'us-east-1');
    expect(byName(fns, 'auditpack-orders-api')).toMatchObject({
      type: 'AWS::Lambda::Function',
      runtime: 'python3.12',
      role: `arn:aws:iam::${MGMT}:role/auditpack-demo-lambda-us-east-1`,
      environmentVariableNames: ['DB_HOST', 'DB_PASSWORD', 'LOG_LEVEL'],
      secretLookingVariables: ['DB_PASSWORD'],
      environmentEncryptedWithCmk: false,
    });
    expect(byName(fns, 'auditpack-thumbnailer')).toMatchObject({ environmentVariableNames: ['BUCKET_NAME', 'DB_SECRET_ARN'], secretLookingVariables: [] });
    const away = resources('lambda.functions', MEMBER, 'eu-west-1');
    expect(byName(away, 'auditpack-report-export').environmentVariables).toEqual([
      { name: 'EXPORT_FORMAT', looksSecret: false, reasons: [] },
      { name: 'UPSTREAM_KEY_ID', looksSecret: true, reasons: ['aws-access-key-id'] },
    ]);
    expect(byName(away, 'auditpack-healthcheck')).toMatchObject({ environmentVariables: [], secretLookingVariables: [] });
    const rawFn = (record('lambda.functions', MGMT, 'us-east-1').raw.ListFunctions as { Functions: { FunctionName: string; Environment?: { Variables: Record<string, string> } }[] }[])
      .flatMap((p) => p.Functions)
      .find((f) => f.FunctionName === 'auditpack-orders-api');
    expect(rawFn?.Environment?.Variables).toEqual({ DB_HOST: '<redacted>', DB_PASSWORD: '<redacted>', LOG_LEVEL: '<redacted>' });
  });

  it('no secret or environment value appears anywhere in the evidence', () => {
    const json = JSON.stringify([...evidence.values()]);
    const values = [...Object.values(SEEDED_ENV_SECRETS), ...SEEDED_SECRET_VALUES, 'orders-db.internal', 'demo-only-Passw0rd'];
    for (const value of values) expect(json.includes(value), value).toBe(false);
  });

  it('fails closed: an unreachable endpoint gives an error record, not empty evidence', async () => {
    const clients = clientsFor({ account: MGMT, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }).forRegion('us-east-1');
    for (const collector of loggingDataCollectors) {
      const r = await runCollector(collector, { account: MGMT, region: 'us-east-1', clients });
      expect(r.status, collector.id).toBe('error');
      expect(r.resources).toEqual([]);
      expect(r.error?.message).toBeTruthy();
    }
  }, 60_000);
});

describe('logging & data controls through the pipeline', () => {
  const pipeline = join(import.meta.dirname, '../../src/pipeline/run.ts');

  it.runIf(existsSync(pipeline))('every seeder expectation holds exactly', async () => {
    const { collectAndAssess } = await import('../../src/pipeline/run.js');
    const out = mkdtempSync(join(tmpdir(), 'auditpack-logging-data-'));
    try {
      const { results } = await collectAndAssess({
        out,
        regions: REGIONS,
        accounts: [MGMT, MEMBER],
        roleName: ROLE,
        endpoint: moto.endpoint,
        maxAttempts: 2,
        controlIds: CONTROL_IDS,
      });
      const actual = new Map<string, string>();
      for (const control of results.controls)
        for (const r of control.results) actual.set(`${control.id}|${r.account}|${r.region}|${r.resourceId}`, `${r.status} ${r.message}`);
      const mismatches = expectations
        .map((e) => ({ e, got: actual.get(`${e.control}|${e.account}|${e.region}|${e.resourceId}`) }))
        .filter(({ e, got }) => !got?.startsWith(`${e.status} `))
        .map(({ e, got }) => `${e.control} ${e.account} ${e.region} ${e.resourceId}: expected ${e.status}, got ${got ?? 'no result'}`);
      expect(mismatches).toEqual([]);
      // Every seeded control has expectations in both accounts and both Regions.
      for (const id of CONTROL_IDS)
        for (const account of [MGMT, MEMBER])
          for (const region of REGIONS) expect(expectations.some((e) => e.control === id && e.account === account && e.region === region), `${id} ${account} ${region}`).toBe(true);
      const errors = results.controls.flatMap((c) => c.results.filter((r) => r.status === 'ERROR').map((r) => `${c.id} ${r.resourceId}: ${r.message}`));
      expect(errors).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
