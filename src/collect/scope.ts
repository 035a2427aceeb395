import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientProvider } from '../core/collector.js';
import { UserError, errorMessage } from '../core/errors.js';

const CREDENTIAL_ERRORS = /InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|UnrecognizedClient|CredentialsProviderError|Could not load credentials|InvalidAccessKeyId/;

function awsFailure(what: string, err: unknown, fix: string): UserError {
  const e = err as { name?: string };
  const detail = `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${errorMessage(err).split('\n')[0]}`;
  if (CREDENTIAL_ERRORS.test(detail)) return new UserError(`AWS credentials rejected while ${what}: ${detail} (fix: check AWS_PROFILE / AWS_ACCESS_KEY_ID or run aws sso login)`);
  return new UserError(`${what} failed: ${detail} (fix: ${fix})`);
}

/** `--accounts` as given: 12-digit ids, de-duplicated and sorted; anything else is a one-line usage error. */
export function checkAccountIds(ids: readonly string[]): string[] {
  const bad = ids.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined) throw new UserError(`--accounts: "${bad.slice(0, 40)}" is not a 12-digit AWS account id (fix: pass ids like 123456789012)`);
  return [...new Set(ids)].sort();
}

/** The account the caller's credentials belong to (sts:GetCallerIdentity; needs no permission). */
export async function callerAccount(clients: ClientProvider): Promise<string> {
  try {
    const identity = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
    if (!identity.Account) throw new Error('no account in GetCallerIdentity response');
    return identity.Account;
  } catch (err) {
    throw awsFailure('identifying the caller (sts:GetCallerIdentity)', err, 'configure AWS credentials');
  }
}

/** Active member accounts of the caller's organization (organizations:ListAccounts, from the management account). */
export async function organizationAccounts(clients: ClientProvider): Promise<string[]> {
  try {
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: clients.get(OrganizationsClient), pageSize: 20 }, {})) {
      for (const a of page.Accounts ?? []) if (a.Id && (a.Status === undefined || a.Status === 'ACTIVE')) ids.push(a.Id);
    }
    return ids.sort();
  } catch (err) {
    throw awsFailure('listing organization accounts (organizations:ListAccounts)', err, 'run from the management or a delegated administrator account, or pass --accounts');
  }
}

/** Regions enabled for the account (ec2:DescribeRegions without AllRegions returns only enabled ones). */
export async function enabledRegions(clients: ClientProvider): Promise<string[]> {
  try {
    const response = await clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: false }));
    return (response.Regions ?? [])
      .filter((r) => !r.OptInStatus || r.OptInStatus !== 'not-opted-in')
      .map((r) => r.RegionName)
      .filter((r): r is string => Boolean(r))
      .sort();
  } catch (err) {
    throw awsFailure('listing enabled regions (ec2:DescribeRegions)', err, 'grant ec2:DescribeRegions or pass --regions');
  }
}
