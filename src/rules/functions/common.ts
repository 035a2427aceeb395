import type { CelFunction } from './types.js';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (ISO 8601); -1 when `from` is not a date (e.g. the credential report's "N/A"). */
export function daysBetween(from: unknown, to: unknown): bigint {
  if (typeof from !== 'string' || typeof to !== 'string') return -1n;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return -1n;
  return BigInt(Math.floor((b - a) / DAY_MS));
}

/** True when a value is a parseable ISO 8601 date. */
export function isDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** Case-insensitive membership of a string in a list. */
export function containsIgnoreCase(list: unknown, value: unknown): boolean {
  if (!Array.isArray(list) || typeof value !== 'string') return false;
  const v = value.toLowerCase();
  return list.some((x) => typeof x === 'string' && x.toLowerCase() === v);
}

export const commonFunctions: CelFunction[] = [
  {
    signature: 'daysBetween(dyn, dyn): int',
    description: 'Whole days between two ISO 8601 timestamps; -1 when the first is not a date',
    handler: daysBetween as CelFunction['handler'],
  },
  { signature: 'isDate(dyn): bool', description: 'True when the value is an ISO 8601 date', handler: isDate as CelFunction['handler'] },
  {
    signature: 'containsIgnoreCase(dyn, dyn): bool',
    description: 'Case-insensitive membership of a string in a list',
    handler: containsIgnoreCase as CelFunction['handler'],
  },
];
