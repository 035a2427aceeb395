import type { CelFunction } from './types.js';

const DAY_MS = 86_400_000;

/** A value that IAM accepts as "a string or a list of strings" (Action, Resource, ...). */
function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** `Statement` may be a single object or a list of objects. */
function statements(doc: unknown): Record<string, unknown>[] {
  if (!doc || typeof doc !== 'object') return [];
  const statement = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return list.filter((s): s is Record<string, unknown> => Boolean(s) && typeof s === 'object');
}

/** `?` marks a pattern may hold and still match every possible value (shortest action `xx:y`, shortest ARN). */
const MAX_QUESTION_MARKS = { action: 4, service: 2, actionName: 1, resource: 6 } as const;

/**
 * True when a pattern made only of wildcards matches every string of at least `shortest` characters: it holds a
 * `*` and at most `shortest` `?`. Counted by hand, not matched: the pattern may be thousands of characters.
 */
function wildcardsOnly(pattern: string, shortest: number): boolean {
  let questionMarks = 0;
  let star = false;
  for (const c of pattern) {
    if (c === '*') star = true;
    else if (c === '?') questionMarks++;
    else return false;
  }
  return star && questionMarks <= shortest;
}

/**
 * `*` is every action of every service, and so is any pattern of wildcards alone that matches every possible
 * action name (`*:*`, `?*`, `*?*:*`): a policy must not hide full admin behind a pattern that means "*".
 */
function isEveryAction(action: string): boolean {
  if (action === '*' || action === '*:*') return true;
  if (wildcardsOnly(action, MAX_QUESTION_MARKS.action)) return true;
  const parts = action.split(':');
  return parts.length === 2 && wildcardsOnly(parts[0] as string, MAX_QUESTION_MARKS.service) && wildcardsOnly(parts[1] as string, MAX_QUESTION_MARKS.actionName);
}

/** `*`, or a pattern of wildcards alone (after `arn:`) that matches every ARN (`arn:*`, `arn:?*`). */
function isEveryResource(resource: string): boolean {
  if (resource === '*' || wildcardsOnly(resource, MAX_QUESTION_MARKS.resource)) return true;
  return resource.startsWith('arn:') && wildcardsOnly(resource.slice(4), MAX_QUESTION_MARKS.resource);
}

/**
 * True when a policy document has an Allow statement with Action "*" on Resource "*" — Security Hub IAM.1 /
 * Config iam-policy-no-statements-with-admin-access semantics, where a pattern of wildcards alone that matches
 * every action (or resource) counts as "*". Deny statements grant nothing and are ignored.
 * A NotAction or NotResource statement is not "*" on "*" by that definition (it excludes something), so it
 * does not count here; conditions do not save a statement (they narrow when, not what).
 * Accepts the document as an object or as a JSON string.
 */
export function policyAllowsFullAdmin(doc: unknown): boolean {
  let parsed = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      throw new Error('policy document is not valid JSON');
    }
  }
  return statements(parsed).some(
    (s) =>
      s.Effect === 'Allow' &&
      stringList(s.Action).some(isEveryAction) &&
      stringList(s.Resource).some(isEveryResource),
  );
}

interface CredentialReportUser {
  passwordEnabled?: unknown;
  passwordLastUsed?: unknown;
  passwordLastChanged?: unknown;
  userCreationTime?: unknown;
  accessKeys?: unknown;
}

interface AccessKeyRow {
  active?: unknown;
  lastRotated?: unknown;
  lastUsedDate?: unknown;
}

function asDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Days the stalest active credential of a credential-report user has gone unused (IAM.8 / IAM.22 semantics):
 * a console password counts from its last use, or when never used from when it was set (falling back to the
 * user's creation); an active access key from its last use, or when never used from its creation (last
 * rotation). -1 when the user has no active credential. Throws when a credential has no usable date, so the
 * rule reports ERROR instead of guessing.
 */
export function unusedCredentialDays(user: unknown, now: unknown): bigint {
  const u = (user ?? {}) as CredentialReportUser;
  const at = asDate(now);
  if (at === undefined) throw new Error('unusedCredentialDays: now is not a date');
  const ages: number[] = [];
  if (u.passwordEnabled === true) {
    const since = asDate(u.passwordLastUsed) ?? asDate(u.passwordLastChanged) ?? asDate(u.userCreationTime);
    if (since === undefined) throw new Error('unusedCredentialDays: console password has no usable date');
    ages.push(at - since);
  }
  const keys = Array.isArray(u.accessKeys) ? (u.accessKeys as AccessKeyRow[]) : [];
  for (const key of keys) {
    if (key?.active !== true) continue;
    const since = asDate(key.lastUsedDate) ?? asDate(key.lastRotated);
    if (since === undefined) throw new Error('unusedCredentialDays: active access key has no usable date');
    ages.push(at - since);
  }
  if (ages.length === 0) return -1n;
  return BigInt(Math.floor(Math.max(...ages) / DAY_MS));
}

export const iamFunctions: CelFunction[] = [
  {
    signature: 'policyAllowsFullAdmin(dyn): bool',
    description: 'True when an IAM policy document has an Allow statement with Action "*" on Resource "*" (IAM.1)',
    handler: policyAllowsFullAdmin as CelFunction['handler'],
  },
  {
    signature: 'unusedCredentialDays(dyn, dyn): int',
    description:
      'Days the stalest active credential (console password, active access key) of a credential-report user has gone unused; -1 when it has none',
    handler: unusedCredentialDays as CelFunction['handler'],
    reads: [['passwordEnabled', 'passwordLastUsed', 'passwordLastChanged', 'userCreationTime', 'accessKeys'], null],
  },
];
