import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateUserCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import type { EvidenceRecord } from '../../src/core/types.js';
import { auditorPolicy } from '../../src/policy/policy.js';
import { deployTemplate } from '../../src/policy/templates/index.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { readPackEvidence, ROOT_CREDENTIALS } from '../helpers/auditor.js';
import { useSeededEstate } from '../helpers/estate.js';
import { enforceMotoAuth } from '../helpers/moto.js';

/**
 * The generated CloudFormation template, for real: the stack is created in moto, the audit runs as the role it
 * created with IAM enforcement on, and no call is refused for lack of permission.
 */

/**
 * Where moto's IAM enforcement checks another action name than AWS does for the same call (AWS action → the one
 * moto checks). The test grants moto's name beside the role's policies; the template keeps AWS's names.
 */
const MOTO_NAMING_GAPS: Record<string, string> = {
  's3:GetEncryptionConfiguration': 's3:ListBucket',
};

const DENIED = /AccessDenied|UnauthorizedOperation|AuthorizationError|UnauthorizedAccess|InvalidClientTokenId|not authorized/i;
const EXTERNAL_ID = 'auditpack-deploy-template-test';
const REGION = 'us-east-1';

const seeded = useSeededEstate('s3', 'iam', 'ec2');
let evidence: EvidenceRecord[] = [];
let out: string | undefined;

beforeAll(async () => {
  const { endpoint } = seeded.moto;
  const { management } = seeded.estate;
  const root = { region: REGION, endpoint, credentials: ROOT_CREDENTIALS };
  const org = await new OrganizationsClient(root).send(new DescribeOrganizationCommand({}));
  const { text } = deployTemplate(collectors, { format: 'cloudformation' });
  const cfn = new CloudFormationClient(root);
  await cfn.send(
    new CreateStackCommand({
      StackName: 'auditpack-audit-role',
      TemplateBody: text,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [
        { ParameterKey: 'AuditAccountId', ParameterValue: management },
        { ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID },
        { ParameterKey: 'OrganizationId', ParameterValue: org.Organization?.Id ?? '' },
      ],
    }),
  );
  const stack = await cfn.send(new DescribeStacksCommand({ StackName: 'auditpack-audit-role' }));
  expect(stack.Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
  const roleArn = stack.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'AuditRoleArn')?.OutputValue;
  expect(roleArn).toBe(`arn:aws:iam::${management}:role/AuditpackReadOnly`);
  // moto's own action names, granted beside (never inside) the generated policy.
  const gaps = [...new Set(Object.values(MOTO_NAMING_GAPS))].sort();
  await new IAMClient(root).send(
    new PutRolePolicyCommand({
      RoleName: 'AuditpackReadOnly',
      PolicyName: 'moto-naming-gaps',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: gaps, Resource: '*' }] }),
    }),
  );
  const assumed = await new STSClient(root).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'auditpack', ExternalId: EXTERNAL_ID }));
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('moto returned no credentials for the audit role');
  await enforceMotoAuth(endpoint, 0);
  process.env.AWS_ACCESS_KEY_ID = c.AccessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = c.SecretAccessKey;
  process.env.AWS_SESSION_TOKEN = c.SessionToken;
  out = await mkdtemp(join(tmpdir(), 'auditpack-deploy-template-'));
  const { packDir } = await collectAndAssess({ out, regions: [REGION], endpoint, maxAttempts: 2 });
  evidence = await readPackEvidence(packDir);
}, 600_000);

afterAll(async () => {
  await enforceMotoAuth(seeded.moto.endpoint, Infinity);
  if (out) await rm(out, { recursive: true, force: true });
});

describe('deploy-template: the CloudFormation audit role in moto with IAM enforced', () => {
  it('collected evidence as the created role, from every collector', () => {
    expect(evidence.length).toBeGreaterThanOrEqual(collectors.length);
    expect(new Set(evidence.map((r) => r.account))).toEqual(new Set([seeded.estate.management]));
  });

  it('no call, record or resource was refused for lack of permission', () => {
    const refused: string[] = [];
    for (const r of evidence) {
      const where = `${r.collector.id} ${r.region}`;
      if (r.error && DENIED.test(`${r.error.code} ${r.error.message}`)) refused.push(`${where}: ${r.error.code} ${r.error.message}`);
      for (const call of r.calls) if (call.errorCode && DENIED.test(call.errorCode)) refused.push(`${where}: ${call.service}:${call.action} ${call.errorCode}`);
      for (const res of r.resources) for (const e of res.collectionErrors ?? []) if (DENIED.test(`${e.code} ${e.message}`)) refused.push(`${where} ${res.id}: ${e.code} ${e.message}`);
    }
    expect(refused).toEqual([]);
  });

  it('IAM was enforced: the role is refused what its policy does not grant', async () => {
    const iam = new IAMClient({ region: REGION, endpoint: seeded.moto.endpoint });
    await expect(iam.send(new CreateUserCommand({ UserName: 'not-allowed' }))).rejects.toThrow(DENIED);
  });

  it('maps only actions the generated policy holds (the gap is moto\'s, not the template\'s)', () => {
    const actions = new Set(auditorPolicy(collectors).Statement.flatMap((s) => s.Action));
    for (const aws of Object.keys(MOTO_NAMING_GAPS)) expect(actions.has(aws), aws).toBe(true);
  });
});
