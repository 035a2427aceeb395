import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/** Redshift against moto: the seeded clusters, the real collector's evidence, then every redshift control against test/fixtures/estate/redshift.yaml. */
const { seeded, evidence } = useRegionService('redshift');

describe('redshift evidence', () => {
  it('redshift.clusters: exposure, encryption, snapshots, upgrades, routing, admin name, logging', () => {
    const clusters = evidence().resources('redshift.clusters', seeded.estate.management, 'us-east-1');
    expect(byName(clusters, 'auditpack-warehouse')).toMatchObject({
      id: `arn:aws:redshift:us-east-1:${seeded.estate.management}:cluster:auditpack-warehouse`,
      type: 'AWS::Redshift::Cluster',
      publiclyAccessible: false,
      encrypted: true,
      enhancedVpcRouting: true,
      allowVersionUpgrade: true,
      automatedSnapshotRetentionPeriod: 7,
      masterUsername: 'dwadmin',
      loggingEnabled: true,
    });
    expect(byName(clusters, 'auditpack-legacy-dw')).toMatchObject({ publiclyAccessible: true, encrypted: false, enhancedVpcRouting: false, allowVersionUpgrade: false, automatedSnapshotRetentionPeriod: 1, masterUsername: 'awsuser', loggingEnabled: false });
  });
});
