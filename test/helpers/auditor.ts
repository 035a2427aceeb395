import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceRecord } from '../../src/core/types.js';
import { enforceMotoAuth } from './moto.js';

/** moto's root test credentials: valid before IAM enforcement starts. */
export const ROOT_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** The IAM calls auditAs makes before its user's keys exist: moto lets exactly these through unauthenticated. */
const SETUP_ACTIONS = 4;

/**
 * From now on moto enforces IAM, and the process audits as a new IAM user whose only policy holds `statements`
 * (Allow the service, Deny one action on one resource ...): the way a bucket policy, key policy or SCP refuses an
 * auditor on AWS. Sets AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY to the user's keys (useMoto restores them) and
 * returns them.
 */
export async function auditAs(endpoint: string, statements: object[], userName = 'auditor'): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await enforceMotoAuth(endpoint, SETUP_ACTIONS);
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials: ROOT_CREDENTIALS });
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const policy = await iam.send(new CreatePolicyCommand({ PolicyName: userName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policy.Policy?.Arn }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const credentials = { accessKeyId: key.AccessKey?.AccessKeyId ?? '', secretAccessKey: key.AccessKey?.SecretAccessKey ?? '' };
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  return credentials;
}

/** Every evidence record of a pack (test-side reading: the pack was just written by the pipeline under test). */
export async function readPackEvidence(packDir: string): Promise<EvidenceRecord[]> {
  const files = (await readdir(join(packDir, 'evidence'), { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(f.parentPath, f.name), 'utf8')) as EvidenceRecord));
}
