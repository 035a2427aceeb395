import { describe, expect, it } from 'vitest';
import { instances } from '../../../collectors/ec2/instances.js';
import { authorizationDetails } from '../../../collectors/iam/authorization-details.js';
import { compareExpectations, formatMismatch } from '../../../src/demo/expectations.js';
import { byName, useSeededEstate } from '../../helpers/estate.js';

/**
 * Issue 12, CIS sections 1–3 (evidence from collectors shared with other controls) against moto: the cloudtrail
 * and ec2 seeders' estate (the iam seeder's support roles are checked in iam.test.ts), then the pipeline for the
 * controls that join a trail with its bucket (CloudTrail.7 / CIS 3.4) and judge instance roles (CIS 1.18).
 */
const seeded = useSeededEstate('cloudtrail', 'ec2', 'iam');

describe('CIS 1.18, 1.17, 1.22 and 3.4 against moto', () => {
  it('ec2.instances: the instance profile of each instance (null without one)', async () => {
    const evidence = await seeded.collect([instances]);
    const list = evidence.resources('ec2.instances', seeded.estate.member, 'eu-west-1');
    expect(byName(list, 'app-imdsv2').iamInstanceProfile).toBe(`arn:aws:iam::${seeded.estate.member}:instance-profile/ap-app-eu-west-1`);
    expect(byName(list, 'legacy-imdsv1').iamInstanceProfile).toBeNull();
  });

  it('iam.authorization-details: roles with their AWS managed policies', async () => {
    const evidence = await seeded.collect([authorizationDetails]);
    expect(byName(evidence.resources('iam.authorization-details', seeded.estate.management, 'global'), 'ap-support').attachedManagedPolicies).toEqual(['arn:aws:iam::aws:policy/AWSSupportAccess']);
    expect(byName(evidence.resources('iam.authorization-details', seeded.estate.member, 'global'), 'ap-cloudshell-ops').attachedManagedPolicies).toEqual(['arn:aws:iam::aws:policy/AWSCloudShellFullAccess']);
  });

  it('the trail bucket (cloudtrail.trails joined with s3.buckets) and instance roles give the fixture results', async () => {
    const ids = ['cloudtrail-bucket-access-logging', 'ec2-instance-role', 'iam-support-role', 'iam-no-cloudshell-full-access'];
    const results = await seeded.assess(ids);
    const expected = seeded.expectations.filter((e) => ids.includes(e.control));
    expect(new Set(expected.map((e) => e.control))).toEqual(new Set(ids));
    expect(compareExpectations(results, expected).map(formatMismatch)).toEqual([]);
  }, 180_000);
});
