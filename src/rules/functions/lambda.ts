import { pinnedByCondition, policyStatements, policyStrings as list, statementLabel as label, type PolicyStatement } from './policy-document.js';
import { publicResourcePolicyStatements } from './resource-policy.js';
import type { CelFunction } from './types.js';

/**
 * Lambda.1 (Security Hub, Config rule lambda-function-public-access-prohibited): a function policy fails when it
 * allows public access (an Allow to everyone with no condition pinning the caller; conditions with wildcards or
 * policy variables do not count, as Security Hub does not evaluate them), and also when it lets Amazon S3 invoke the
 * function without an `AWS:SourceAccount` condition (a bucket ARN carries no account, so any account's bucket of
 * that name could invoke it).
 */

type Json = PolicyStatement;

const SOURCE_ACCOUNT: ReadonlySet<string> = new Set(['aws:sourceaccount']);

/** An AWS:SourceAccount condition with fixed values (no wildcard, no policy variable). */
function hasFixedSourceAccount(statement: Json): boolean {
  return pinnedByCondition(statement, SOURCE_ACCOUNT, (_key, value) => !value.includes('*') && !value.includes('${'));
}

/** The statements of a Lambda function policy that make it public (Lambda.1), described for messages; empty when none. */
export function lambdaPolicyPublicStatements(policy: unknown): string[] {
  const open = publicResourcePolicyStatements(policy);
  const s3 = policyStatements(policy)
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => {
      const principal = s.Principal;
      const services = principal && typeof principal === 'object' ? list((principal as Json).Service) : [];
      return s.Effect === 'Allow' && services.includes('s3.amazonaws.com') && !hasFixedSourceAccount(s);
    })
    .map(({ s, index }) => `statement ${label(s, index)} lets Amazon S3 invoke it without an AWS:SourceAccount condition`);
  return [...open, ...s3];
}

export const lambdaFunctions: CelFunction[] = [
  {
    signature: 'lambdaPolicyPublicStatements(dyn): list<string>',
    description: 'Lambda.1: the statements of a function policy that allow public access, or S3 invocation without AWS:SourceAccount',
    handler: lambdaPolicyPublicStatements as CelFunction['handler'],
  },
];
