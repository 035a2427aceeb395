import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * RDS against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('rds');

describe('rds evidence', () => {
  it('rds.instances: encryption and exposure', () => {
    const dbs = evidence().resources('rds.instances', seeded.estate.management, 'us-east-1');
    expect(byName(dbs, 'auditpack-orders-db')).toMatchObject({ id: `arn:aws:rds:us-east-1:${seeded.estate.management}:db:auditpack-orders-db`, type: 'AWS::RDS::DBInstance', engine: 'postgres', storageEncrypted: true, publiclyAccessible: false });
    expect(byName(dbs, 'auditpack-legacy-db')).toMatchObject({ engine: 'mysql', storageEncrypted: false, publiclyAccessible: true, kmsKeyId: null });
    expect(evidence().resources('rds.instances', seeded.estate.member, 'eu-west-1').map((r) => r.id)).toEqual([`arn:aws:rds:eu-west-1:${seeded.estate.member}:db:auditpack-reports-db`]);
  });
});

describe('rds evidence (issue 12)', () => {
  it('rds.instances: availability, deletion protection, logs, IAM authentication, backups', () => {
    const dbs = evidence().resources('rds.instances', seeded.estate.management, 'us-east-1');
    expect(byName(dbs, 'auditpack-orders-db')).toMatchObject({ multiAz: true, deletionProtection: true, cloudwatchLogsExports: ['postgresql', 'upgrade'], iamDatabaseAuthenticationEnabled: true, backupRetentionPeriod: 7, readReplicaSource: null });
    expect(byName(dbs, 'auditpack-legacy-db')).toMatchObject({ multiAz: false, deletionProtection: false, cloudwatchLogsExports: [], iamDatabaseAuthenticationEnabled: false, backupRetentionPeriod: 1 });
  });

  it('moto gap: MonitoringInterval is never returned, so Enhanced Monitoring reads 0 (RDS.6 PASS is covered by inline cases)', () => {
    for (const db of evidence().resources('rds.instances', seeded.estate.management, 'us-east-1')) expect(db.monitoringInterval).toBe(0);
  });

  it('rds.clusters: deletion protection and IAM authentication', () => {
    const clusters = evidence().resources('rds.clusters', seeded.estate.member, 'eu-west-1');
    expect(byName(clusters, 'auditpack-aurora-main')).toMatchObject({ type: 'AWS::RDS::DBCluster', engine: 'aurora-postgresql', deletionProtection: true, iamDatabaseAuthenticationEnabled: true });
    expect(byName(clusters, 'auditpack-aurora-scratch')).toMatchObject({ deletionProtection: false, iamDatabaseAuthenticationEnabled: false });
  });

  it('rds.snapshots: manual snapshots with who may restore them', () => {
    const snaps = evidence().resources('rds.snapshots', seeded.estate.management, 'us-east-1');
    expect(byName(snaps, 'auditpack-orders-db-snap')).toMatchObject({ id: `arn:aws:rds:us-east-1:${seeded.estate.management}:snapshot:auditpack-orders-db-snap`, type: 'AWS::RDS::DBSnapshot', source: 'auditpack-orders-db', public: false });
    expect(byName(snaps, 'auditpack-legacy-db-snap')).toMatchObject({ public: true, sharedWithAccounts: [] });
  });
});
