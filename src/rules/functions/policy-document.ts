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

/**
 * True when a condition of the statement pins it to fixed callers: a key of `keys` under an operator that every
 * caller must satisfy (negated operators and IfExists variants let callers without the key, or with any other value,
 * through), with at least one value and every value fixed (`isFixed(lower-cased key, value)`). `values` reads a
 * condition value as strings (callers differ in how they treat non-string entries).
 */
export function pinnedByCondition(statement: { Condition?: unknown }, keys: ReadonlySet<string>, isFixed: (key: string, value: string) => boolean, values: (value: unknown) => string[] = policyStrings): boolean {
  const condition = statement.Condition;
  if (!condition || typeof condition !== 'object') return false;
  return Object.entries(condition as PolicyStatement).some(([operator, block]) => {
    const op = operator.toLowerCase();
    if (op.includes('not') || op.endsWith('ifexists') || !block || typeof block !== 'object') return false;
    return Object.entries(block as PolicyStatement).some(([key, value]) => {
      const k = key.toLowerCase();
      const vs = values(value);
      return keys.has(k) && vs.length > 0 && vs.every((v) => isFixed(k, v));
    });
  });
}

/** A condition value that pins nothing: a wildcard, or an IP range of /0. */
export function isOpenConditionValue(key: string, value: string): boolean {
  return value.includes('*') || (key === 'aws:sourceip' && /\/0$/.test(value));
}
