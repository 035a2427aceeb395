import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

const TABLE_FIELDS = ['tableStatus', 'deletionProtectionEnabled', 'sseType', 'kmsKeyArn'] as const;
const BACKUP_FIELDS = ['pointInTimeRecoveryEnabled'] as const;

/** One table: DescribeTable (deletion protection, SSE) and DescribeContinuousBackups (PITR), each refusable on its own. */
async function describeTable(client: DynamoDBClient, account: string, region: string, name: string): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const [table, backups] = await Promise.all([
    calls.call(`DescribeTable:${name}`, TABLE_FIELDS, () => client.send(new DescribeTableCommand({ TableName: name }))),
    calls.call(`DescribeContinuousBackups:${name}`, BACKUP_FIELDS, () => client.send(new DescribeContinuousBackupsCommand({ TableName: name }))),
  ]);
  const t = table.ok ? table.value?.Table : undefined;
  const pitr = backups.ok ? backups.value?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus : undefined;
  const resource = calls.resource({
    id: t?.TableArn ?? `arn:aws:dynamodb:${region}:${account}:table/${name}`,
    type: 'AWS::DynamoDB::Table',
    name,
    region,
    tableStatus: t?.TableStatus ?? null,
    deletionProtectionEnabled: t?.DeletionProtectionEnabled === true,
    // No SSEDescription means encryption with an AWS owned key (DynamoDB always encrypts at rest).
    sseType: t?.SSEDescription?.SSEType ?? null,
    kmsKeyArn: t?.SSEDescription?.KMSMasterKeyArn ?? null,
    pointInTimeRecoveryEnabled: pitr === 'ENABLED',
  });
  return { resource, raw: calls.raw };
}

/** DynamoDB tables: point-in-time recovery (DynamoDB.2) and deletion protection (DynamoDB.6). */
export const dynamodbTables: Collector = {
  id: 'dynamodb.tables',
  version: '1',
  title: 'DynamoDB tables: point-in-time recovery, deletion protection and encryption',
  scope: 'region',
  permissions: ['dynamodb:ListTables', 'dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups'],
  resourceSchema: resourceShape(
    'AWS::DynamoDB::Table',
    {
      tableStatus: s.nullable(s.string),
      deletionProtectionEnabled: s.boolean,
      sseType: s.nullable(s.string),
      kmsKeyArn: s.nullable(s.string),
      pointInTimeRecoveryEnabled: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(DynamoDBClient);
    const listed = await collectPages(paginateListTables({ client, pageSize: 100 }, {}), (p) => p.TableNames);
    const names = [...listed.items].sort((a, b) => a.localeCompare(b));
    const described = await ctx.map(names, (name) => describeTable(client, ctx.account, ctx.region, name));
    const raw: Record<string, unknown> = { ListTables: listed.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
