import type { CelFunction } from './types.js';

/**
 * Resource-based policies of messaging services (SQS queue policies; SNS topic policies have the same grammar):
 * is any Allow statement open to everyone? Security Hub (SQS.3, SNS.4) fails a policy that "allows public access";
 * a statement is public when its principal is everyone ("*", {"AWS": "*"}, or Allow with NotPrincipal) and no
 * condition pins it to known callers (source account, ARN, VPC, organisation, IP range other than /0).
 */

type Json = Record<string, unknown>;

const RESTRICTING_KEYS = new Set([
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:userid',
  'aws:username',
]);

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function statementsOf(policy: unknown): Json[] {
  if (!policy || typeof policy !== 'object') return [];
  const st = (policy as Json).Statement;
  if (Array.isArray(st)) return st.filter((s): s is Json => !!s && typeof s === 'object');
  return st && typeof st === 'object' ? [st as Json] : [];
}

function isEveryone(statement: Json): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === '*') return true;
  return !!principal && typeof principal === 'object' && list((principal as Json).AWS).includes('*');
}

function isRestricted(statement: Json): boolean {
  const condition = statement.Condition;
  if (!condition || typeof condition !== 'object') return false;
  return Object.entries(condition as Json).some(([operator, block]) => {
    const op = operator.toLowerCase();
    if (op.includes('not') || op.endsWith('ifexists') || !block || typeof block !== 'object') return false;
    return Object.entries(block as Json).some(([key, value]) => {
      const k = key.toLowerCase();
      const values = list(value);
      return RESTRICTING_KEYS.has(k) && values.length > 0 && values.every((v) => !v.includes('*') && !(k === 'aws:sourceip' && /\/0$/.test(v)));
    });
  });
}

/** The Allow statements of a resource policy that are open to everyone, described for messages; empty when none. */
export function publicResourcePolicyStatements(policy: unknown): string[] {
  return statementsOf(policy)
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.Effect === 'Allow' && isEveryone(s) && !isRestricted(s))
    .map(({ s, index }) => `statement ${typeof s.Sid === 'string' && s.Sid !== '' ? `"${s.Sid}"` : `#${index + 1}`} allows ${list(s.Action ?? s.NotAction).join(',') || '(no action)'} to everyone`);
}

export const resourcePolicyFunctions: CelFunction[] = [
  {
    signature: 'publicResourcePolicyStatements(dyn): list<string>',
    description: 'SQS.3/SNS.4: the Allow statements of a queue or topic policy open to everyone (Principal "*", no restricting condition)',
    handler: publicResourcePolicyStatements as CelFunction['handler'],
  },
];
