/**
 * Bounded readers for AWS Config configuration items (issue 11). Every value in an item is untrusted: a reader
 * returns `undefined` for anything it cannot map (absent key, wrong type, over-long string, odd date), and the
 * caller lists the resource field that needed it as missing, so it is read live. Nothing here throws or guesses.
 *
 * Item shapes: awslabs/aws-config-resource-schema @adf55132 `config/properties/resource-types/*.properties.json`,
 * awslabs/aws-config-rdk @bb24bcab `rdk/template/example_ci/*.json` (see the research notes quoted per type).
 * Items serialised from the AWS Java SDK models (camelCase types) carry unset properties as explicit `null`, so an
 * absent key is "unknown", never "unset".
 */
import type { ConfigItem } from '../../src/core/types.js';

/** Identifiers, names, enums, ARNs: far above any AWS limit (ARNs ≤ 2048), far below anything costly. */
export const MAX_TEXT = 2048;
/** Policy documents (URL-encoded they are up to three times their ≤ 10,240-character JSON). */
export const MAX_DOCUMENT = 131_072;
/** Arrays of rules, attachments, policies, versions. */
export const MAX_LIST = 10_000;
/** Nesting of a decoded policy document (the pack's JSON nesting bound). */
export const MAX_DEPTH = 64;

export type Json = Record<string, unknown>;

/** A plain object, else undefined. */
export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A bounded array, else undefined. */
export function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) && value.length <= MAX_LIST ? value : undefined;
}

/** A bounded string, else undefined. */
export function text(value: unknown, max = MAX_TEXT): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** A bounded string or explicit null (→ null); absent or any other shape → undefined (unknown). */
export function textOrNull(value: unknown, max = MAX_TEXT): string | null | undefined {
  return value === null ? null : text(value, max);
}

/** A boolean; anything else (null included) → undefined. */
export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A safe integer or explicit null; anything else → undefined. */
export function intOrNull(value: unknown): number | null | undefined {
  if (value === null) return null;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

const DATE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A timestamp as Config writes it: ISO 8601 (`2019-03-27T17:23:43.000Z`), moto's Python form
 * (`2026-12-01 11:14:48.300890`, naive = UTC), or epoch milliseconds (the KMS example). Else undefined. A fraction
 * finer than milliseconds is rounded, as the SDK rounds it on the live path (found on moto: truncating was 1 ms off).
 */
export function date(value: unknown): Date | undefined {
  if (typeof value === 'number') {
    const d = Number.isFinite(value) ? new Date(value) : undefined;
    return d && !Number.isNaN(d.getTime()) ? d : undefined;
  }
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = DATE.exec(value);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
  // Fractions rounded to milliseconds, as the SDK parses the live API's timestamps (@smithy parseMilliseconds).
  const ms = m[3] ? Math.round(Number.parseFloat(`0${m[3]}`) * 1000) : 0;
  return Number.isNaN(seconds) ? undefined : new Date(seconds + ms);
}

/** Whether a decoded JSON value nests at most `max` levels (iteratively: no recursion on hostile input). */
export function withinDepth(value: unknown, max = MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return false;
    for (const child of Object.values(v as object)) stack.push([child, depth + 1]);
  }
  return true;
}

/** A 12-digit account id and a region name from the item, else undefined (the item cannot be placed). */
export function placement(item: ConfigItem): { account: string; region: string } | undefined {
  const account = text(item.accountId, 12);
  const region = text(item.awsRegion, 32);
  if (!account || !/^\d{12}$/.test(account) || !region || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) return undefined;
  return { account, region };
}

/**
 * Collects the top-level resource fields an item cannot fill; `apply` removes them from the resource the shared
 * live normaliser built (it would otherwise hold that normaliser's defaults), so they are read live.
 */
export class Missing {
  private readonly fields = new Set<string>();

  /** `value` when defined; otherwise records `fields` as missing and returns undefined. */
  need<T>(value: T | undefined, ...fields: string[]): T | undefined {
    if (value === undefined) for (const f of fields) this.fields.add(f);
    return value;
  }

  has(field: string): boolean {
    return this.fields.has(field);
  }

  add(...fields: string[]): void {
    for (const f of fields) this.fields.add(f);
  }

  /** The resource without the missing fields (never id or type), and the sorted list of them. */
  apply<R extends Record<string, unknown>>(resource: R): { resource: R; missing: string[] } {
    const out: Record<string, unknown> = { ...resource };
    const missing = [...this.fields].filter((f) => f !== 'id' && f !== 'type').sort();
    for (const f of missing) delete out[f];
    return { resource: out as R, missing };
  }
}
