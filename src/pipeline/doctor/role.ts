import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientProvider } from '../../core/collector.js';
import { check, errorLine, errorName, type DoctorCheck } from './types.js';

const FIX = 'fix: create the role with the policy from `auditpack policy` and a trust policy for the caller, or leave the account out';

/**
 * Whether `roleName` can be assumed in `account`: a real sts:AssumeRole (made by `clients`' credentials on first use)
 * and sts:GetCallerIdentity with the assumed credentials, which must name the account. moto gap: moto's AssumeRole
 * does not check that the role exists (moto/sts/models.py assume_role: "the role does not need to exist"), so an
 * iam:GetRole that answers NoSuchEntity fails the check too; any other GetRole answer is left to AssumeRole, which
 * on AWS fails for a missing role.
 */
export async function checkRole(account: string, roleName: string, clients: ClientProvider): Promise<DoctorCheck> {
  const cannot = (why: string): DoctorCheck => check('role', 'fail', `role ${roleName} cannot be assumed in ${account}: ${why} (${FIX})`, { account });
  let arn: string | undefined;
  try {
    const id = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
    if (id.Account !== account) return cannot(`the assumed session belongs to account ${id.Account ?? '?'}`);
    arn = id.Arn;
  } catch (err) {
    return cannot(errorLine(err));
  }
  try {
    await clients.get(IAMClient).send(new GetRoleCommand({ RoleName: roleName }));
  } catch (err) {
    if (errorName(err) === 'NoSuchEntity' || errorName(err) === 'NoSuchEntityException') return cannot(`the role does not exist (iam:GetRole: ${errorLine(err)})`);
  }
  return check('role', 'ok', `assumed ${arn ?? roleName}`, { account });
}
