import { beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../../collectors/index.js';
import { DEMO_REGIONS } from '../../../src/demo/estate.js';
import { byName, expectCleanCollection, useSeededEstate, type Evidence } from '../../helpers/estate.js';

const [US, EU] = DEMO_REGIONS as [string, string];
const s3Collectors = collectorsOf('s3');

/**
 * S3 against moto: the demo organisation (management + member account) seeded with the s3 seeder in both regions,
 * the real collectors' normalised evidence, then the pipeline for every S3 control against test/fixtures/estate/s3.yaml.
 */
describe('s3 collectors against moto', () => {
  const seeded = useSeededEstate('s3');
  let evidence: Evidence;
  const record = (account: string, region: string, id: string) => evidence.record(id, account, region);
  const resources = (account: string, region: string, id: string) => evidence.resources(id, account, region);

  beforeAll(async () => {
    evidence = await seeded.collect(s3Collectors);
  }, 240_000);

  it('collects every source without error in both accounts', () => expectCleanCollection(evidence, s3Collectors, DEMO_REGIONS));
  it('reads account Block Public Access: on in the management account, absent in the member', () => {
    expect(resources(seeded.estate.management, 'global', 's3.account-public-access-block')).toEqual([
      {
        id: `AWS::::Account:${seeded.estate.management}`,
        type: 'AWS::::Account',
        name: seeded.estate.management,
        configured: true,
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
    ]);
    expect(resources(seeded.estate.member, 'global', 's3.account-public-access-block')[0]).toMatchObject({ configured: false, restrictPublicBuckets: false });
  });

  it('lists only the account\'s own buckets, each with its region and normalised settings', () => {
    const buckets = resources(seeded.estate.management, 'global', 's3.buckets');
    const prefix = (region: string) => `ap-${seeded.estate.management}-${region}`;
    expect(buckets.map((b) => [b.name, b.region])).toEqual(
      [
        [`${prefix(EU)}-objects-only-tls`, EU],
        [`${prefix(EU)}-public-acl`, EU],
        [`${prefix(EU)}-vpce-only`, EU],
        [`${prefix(US)}-logs`, US],
        [`${prefix(US)}-public-site`, US],
        [`${prefix(US)}-secure`, US],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const secure = byName(buckets, `${prefix(US)}-secure`);
    expect(secure).toMatchObject({
      id: `arn:aws:s3:::${prefix(US)}-secure`,
      type: 'AWS::S3::Bucket',
      encryption: { enabled: true, algorithm: 'aws:kms', bucketKey: true },
      publicAccessBlockConfigured: true,
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      versioning: 'Enabled',
      mfaDelete: 'Disabled',
      logging: { enabled: true, targetBucket: `${prefix(US)}-logs`, targetPrefix: `${prefix(US)}-secure/` },
    });
    expect(secure.policy).toMatchObject({ Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
    const publicAcl = byName(buckets, `${prefix(EU)}-public-acl`);
    expect(publicAcl).toMatchObject({ versioning: 'Suspended', policy: null, publicAccessBlockConfigured: false, encryption: { algorithm: 'aws:kms' } });
    expect((publicAcl.aclGrants as { granteeUri: string | null; permission: string }[]).filter((g) => g.granteeUri?.endsWith('/AllUsers')).map((g) => g.permission).sort()).toEqual([
      'READ',
      'WRITE',
    ]);
    expect(byName(buckets, `${prefix(US)}-public-site`)).toMatchObject({ encryption: { algorithm: 'AES256' }, versioning: 'Disabled', logging: { enabled: false } });
    const memberBuckets = resources(seeded.estate.member, 'global', 's3.buckets');
    expect(memberBuckets).toHaveLength(6);
    expect(memberBuckets.every((b) => String(b.name).startsWith(`ap-${seeded.estate.member}-`))).toBe(true);
  });

  it('records bucket calls under their IAM action names', () => {
    const actions = new Set(record(seeded.estate.management, 'global', 's3.buckets').calls.map((c) => `${c.service}:${c.action}`));
    expect([...actions].sort()).toEqual(
      [
        's3:GetBucketAcl',
        's3:GetBucketLocation',
        's3:GetBucketLogging',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketVersioning',
        's3:GetEncryptionConfiguration',
        's3:ListAllMyBuckets',
      ].sort(),
    );
  });


  it('produces every seeded expectation through the full pipeline, for every S3 control in both accounts', async () => {
    const { controls, expected, mismatches, results } = await seeded.assessControlsOf(s3Collectors);
    expect(results.controls.map((c) => c.id).sort()).toEqual([...controls].sort());
    expect(mismatches).toEqual([]);
    for (const c of results.controls) for (const r of c.results) expect(r.status, `${c.id} ${r.resourceId}: ${r.message}`).not.toBe('ERROR');
    for (const account of [seeded.estate.management, seeded.estate.member]) {
      expect([...new Set(expected.filter((e) => e.account === account).map((e) => e.control))].sort()).toEqual([...controls].sort());
    }
    expect([...new Set(expected.map((e) => e.status))].sort()).toEqual(['FAIL', 'PASS']);
  }, 180_000);
});
