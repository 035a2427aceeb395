/**
 * Reading resource-based policy documents (S3 bucket, SQS queue, SNS topic, Lambda function policies): the shapes
 * every policy function shares. Documents come from evidence and are untrusted: anything malformed reads as absent.
 */

export type PolicyStatement = Record<string, unknown>;

/** A policy field that may be one value or a list, as strings. */
export function policyStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** The statements of a policy document (Statement may be one object or a list); malformed entries are skipped. */
export function policyStatements(policy: unknown): PolicyStatement[] {
  if (!policy || typeof policy !== 'object') return [];
  const st = (policy as PolicyStatement).Statement;
  if (Array.isArray(st)) return st.filter((s): s is PolicyStatement => !!s && typeof s === 'object');
  return st && typeof st === 'object' ? [st as PolicyStatement] : [];
}

/** How a statement is named in messages: its Sid, else its position. */
export function statementLabel(statement: PolicyStatement, index: number): string {
  return typeof statement.Sid === 'string' && statement.Sid !== '' ? `"${statement.Sid}"` : `#${index + 1}`;
}

/** Global condition keys that pin a statement to known callers (AWS's own "is this policy public" test uses these). */
export const RESTRICTING_CONDITION_KEYS: ReadonlySet<string> = new Set([
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourceowner',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:userid',
  'aws:username',
]);
