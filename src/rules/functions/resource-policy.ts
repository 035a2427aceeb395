import { isOpenConditionValue, pinnedByCondition, policyStatements, policyStrings as list, RESTRICTING_CONDITION_KEYS, statementLabel, type PolicyStatement } from './policy-document.js';
import type { CelFunction } from './types.js';

/**
 * Resource-based policies of messaging services (SQS queue policies; SNS topic policies have the same grammar):
 * is any Allow statement open to everyone? Security Hub (SQS.3, SNS.4) fails a policy that "allows public access";
 * a statement is public when its principal is everyone ("*", {"AWS": "*"}, or Allow with NotPrincipal) and no
 * condition pins it to known callers (source account, ARN, VPC, organisation, IP range other than /0).
 */

type Json = PolicyStatement;

function isEveryone(statement: Json): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === '*') return true;
  return !!principal && typeof principal === 'object' && list((principal as Json).AWS).includes('*');
}

function isRestricted(statement: Json): boolean {
  return pinnedByCondition(statement, RESTRICTING_CONDITION_KEYS, (key, value) => !isOpenConditionValue(key, value));
}

/** The Allow statements of a resource policy that are open to everyone, described for messages; empty when none. */
export function publicResourcePolicyStatements(policy: unknown): string[] {
  return policyStatements(policy)
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.Effect === 'Allow' && isEveryone(s) && !isRestricted(s))
    .map(({ s, index }) => `statement ${statementLabel(s, index)} allows ${list(s.Action ?? s.NotAction).join(',') || '(no action)'} to everyone`);
}

export const resourcePolicyFunctions: CelFunction[] = [
  {
    signature: 'publicResourcePolicyStatements(dyn): list<string>',
    description: 'SQS.3/SNS.4: the Allow statements of a queue or topic policy open to everyone (Principal "*", no restricting condition)',
    handler: publicResourcePolicyStatements as CelFunction['handler'],
  },
];
