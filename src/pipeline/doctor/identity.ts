import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientProvider } from '../../core/collector.js';
import { check, errorLine, type DoctorCheck } from './types.js';

export interface IdentityResult {
  caller?: { account: string; arn: string };
  check: DoctorCheck;
}

/** Who the caller is (sts:GetCallerIdentity needs no permission). */
export async function checkIdentity(clients: ClientProvider): Promise<IdentityResult> {
  try {
    const id = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
    if (!id.Account || !id.Arn) return { check: check('identity', 'fail', 'sts:GetCallerIdentity returned no account (fix: check the AWS credentials)') };
    return { caller: { account: id.Account, arn: id.Arn }, check: check('identity', 'ok', `caller ${id.Arn}`, { account: id.Account }) };
  } catch (err) {
    return { check: check('identity', 'fail', `the caller's credentials were rejected by sts:GetCallerIdentity: ${errorLine(err)} (fix: check AWS_PROFILE / AWS_ACCESS_KEY_ID or run aws sso login)`) };
  }
}
