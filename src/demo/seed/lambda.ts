import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { crc32 } from 'node:zlib';
import { DATABASE_SECRET } from './secretsmanager.js';
import type { SeededIds, Seeder } from './types.js';

/** Demo-only environment values that look like secrets; the integration test checks none reaches evidence. */
export const SEEDED_ENV_SECRETS = {
  dbPassword: 'correct-horse-battery-staple-42',
  // AWS's documented example access key id, never a real one.
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
};

interface FunctionSpec {
  name: string;
  environment?: Record<string, string>;
  looksSecret: boolean;
  /** Lambda.2: a deprecated runtime (default python3.12, supported). */
  runtime?: Runtime;
  /** Lambda.1: a resource-policy statement: invocable by everyone, or by S3 with or without AWS:SourceAccount. */
  permission?: 'everyone' | 's3-own-account' | 's3-any-account';
  /** Lambda.3: connected to the app VPC's subnet (ids from the vpc seeder). */
  inVpc?: boolean;
}

/**
 * Lambda: in the primary Region an API with a database password in its environment (FAIL) and a worker that only
 * holds the secret's ARN (PASS); elsewhere an exporter with an access key id in an innocent-looking variable (FAIL)
 * and a function without environment (PASS). The secret's ARN comes from the `secretsmanager` seeder.
 */
export const lambdaSeeder: Seeder = {
  service: 'lambda',
  needs: ['secretsmanager', 'vpc'],
  async seed(target) {
  const databaseSecretArn = target.seeded[DATABASE_SECRET];
  if (!databaseSecretArn) throw new Error(`the lambda seeder needs ${DATABASE_SECRET} from the secretsmanager seeder, which must run first`);
  const ids: SeededIds = {};
  const specs: FunctionSpec[] = target.primary
    ? [
        { name: 'auditpack-orders-api', environment: { DB_HOST: 'orders-db.internal', DB_PASSWORD: SEEDED_ENV_SECRETS.dbPassword, LOG_LEVEL: 'info' }, looksSecret: true, runtime: 'python3.8', permission: 'everyone' },
        { name: 'auditpack-thumbnailer', environment: { BUCKET_NAME: 'images', DB_SECRET_ARN: databaseSecretArn }, looksSecret: false, permission: 's3-own-account', inVpc: true },
      ]
    : [
        { name: 'auditpack-report-export', environment: { UPSTREAM_KEY_ID: SEEDED_ENV_SECRETS.accessKeyId, EXPORT_FORMAT: 'csv' }, looksSecret: true, permission: 's3-any-account' },
        { name: 'auditpack-healthcheck', looksSecret: false, inVpc: true },
      ];

  // IAM is global: one execution role per Region keeps the Regions' seeders independent of each other.
  const role = await target.clients.get(IAMClient).send(
    new CreateRoleCommand({
      RoleName: `auditpack-demo-lambda-${target.region}`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  if (!role.Role?.Arn) throw new Error('CreateRole returned no ARN');

  const lambda = target.clients.get(LambdaClient);
  const code = zipSingleFile('index.py', 'def handler(event, context):\n    return {"ok": True}\n');
  for (const spec of specs) {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: spec.name,
        Runtime: spec.runtime ?? 'python3.12',
        Role: role.Role.Arn,
        Handler: 'index.handler',
        Code: { ZipFile: code },
        ...(spec.environment ? { Environment: { Variables: spec.environment } } : {}),
        ...(spec.inVpc ? { VpcConfig: { SubnetIds: [target.seeded['subnet/app-a'] as string], SecurityGroupIds: [target.seeded['sg/web-restricted-admin'] as string] } } : {}),
      }),
    );
    if (!fn.FunctionArn) throw new Error(`CreateFunction ${spec.name} returned no ARN`);
    ids[`function/${spec.name}`] = fn.FunctionArn;
    if (spec.permission) {
      const s3 = spec.permission !== 'everyone';
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: spec.name,
          StatementId: `auditpack-${spec.permission}`,
          Action: 'lambda:InvokeFunction',
          Principal: s3 ? 's3.amazonaws.com' : '*',
          ...(s3 ? { SourceArn: `arn:aws:s3:::auditpack-demo-${spec.name}` } : {}),
          ...(spec.permission === 's3-own-account' ? { SourceAccount: target.account } : {}),
        }),
      );
    }
  }
  return ids;
  },
};

/** A minimal ZIP archive (one stored, uncompressed file) so no zip dependency is needed. */
export function zipSingleFile(name: string, content: string): Uint8Array {
  const data = Buffer.from(content, 'utf8');
  const fileName = Buffer.from(name, 'utf8');
  const crc = crc32(data);

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); // local file header
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18); // compressed size (stored)
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);

  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); // central directory header
  central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the external attributes below are file modes
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0o100644 * 0x10000, 38); // external attributes: regular file, rw-r--r--

  const localSize = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(localSize, 16);

  return new Uint8Array(Buffer.concat([local, fileName, data, central, fileName, end]));
}
