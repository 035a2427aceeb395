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
