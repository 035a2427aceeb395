import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/** DynamoDB against moto: the seeded tables, the real collector's evidence, then every dynamodb control against test/fixtures/estate/dynamodb.yaml. */
const { seeded, evidence } = useRegionService('dynamodb');

describe('dynamodb evidence', () => {
  it('dynamodb.tables: point-in-time recovery and deletion protection', () => {
    const tables = evidence().resources('dynamodb.tables', seeded.estate.management, 'us-east-1');
    expect(byName(tables, 'auditpack-orders')).toMatchObject({
      id: `arn:aws:dynamodb:us-east-1:${seeded.estate.management}:table/auditpack-orders`,
      type: 'AWS::DynamoDB::Table',
      pointInTimeRecoveryEnabled: true,
      deletionProtectionEnabled: true,
    });
    expect(byName(tables, 'auditpack-scratch')).toMatchObject({ pointInTimeRecoveryEnabled: false, deletionProtectionEnabled: false });
    expect(evidence().resources('dynamodb.tables', seeded.estate.member, 'eu-west-1').map((r) => r.name)).toEqual(['auditpack-orders']);
  });
});

describe('dax evidence', () => {
  it('dynamodb.dax-clusters: encryption at rest and in transit', () => {
    const clusters = evidence().resources('dynamodb.dax-clusters', seeded.estate.management, 'us-east-1');
    expect(byName(clusters, 'auditpack-cache')).toMatchObject({ type: 'AWS::DAX::Cluster', sseStatus: 'ENABLED', endpointEncryptionType: 'TLS' });
    expect(byName(clusters, 'auditpack-plain-cache')).toMatchObject({ sseStatus: 'DISABLED', endpointEncryptionType: 'NONE' });
  });
});
