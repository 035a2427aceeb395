import { CreateTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, DAXClient } from '@aws-sdk/client-dax';
import type { SeededIds, Seeder } from './types.js';

/**
 * DynamoDB: a protected orders table (point-in-time recovery, deletion protection) in every Region, an
 * unprotected scratch table in the primary Region; a DAX cluster encrypted at rest and in transit in every Region,
 * and an unencrypted one in the primary Region. Ids: `table/<name>`, `dax/<name>` → ARN.
 */
export const dynamodbSeeder: Seeder = {
  service: 'dynamodb',
  async seed(target) {
    const specs = [{ name: 'auditpack-orders', protected: true }, ...(target.primary ? [{ name: 'auditpack-scratch', protected: false }] : [])];
    const dynamodb = target.clients.get(DynamoDBClient);
    const ids: SeededIds = {};
    for (const spec of specs) {
      const created = await dynamodb.send(
        new CreateTableCommand({
          TableName: spec.name,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: spec.protected,
        }),
      );
      if (spec.protected)
        await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: spec.name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      const arn = created.TableDescription?.TableArn;
      if (!arn) throw new Error(`CreateTable ${spec.name} returned no ARN`);
      ids[`table/${spec.name}`] = arn;
    }
    const dax = target.clients.get(DAXClient);
    const clusters = [{ name: 'auditpack-cache', encrypted: true }, ...(target.primary ? [{ name: 'auditpack-plain-cache', encrypted: false }] : [])];
    for (const spec of clusters) {
      const created = await dax.send(
        new CreateClusterCommand({
          ClusterName: spec.name,
          NodeType: 'dax.t3.small',
          ReplicationFactor: 1,
          IamRoleArn: `arn:aws:iam::${target.account}:role/auditpack-dax`,
          SSESpecification: { Enabled: spec.encrypted },
          ClusterEndpointEncryptionType: spec.encrypted ? 'TLS' : 'NONE',
        }),
      );
      const arn = created.Cluster?.ClusterArn;
      if (!arn) throw new Error(`CreateCluster ${spec.name} returned no ARN`);
      ids[`dax/${spec.name}`] = arn;
    }
    return ids;
  },
};
