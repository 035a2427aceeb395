import type { BaseConfigurationItem } from '@aws-sdk/client-config-service';
import type { ConfigItem } from '../core/types.js';

/**
 * Decoding and accepting AWS Config configuration items. Every string in an item is untrusted: sizes and JSON
 * nesting are bounded, and an item that does not decode is dropped (its resource is then read live).
 */
export const ITEM_LIMITS = {
  /** configuration and each supplementaryConfiguration value (Config items are at most a few MB). */
  jsonChars: 4 * 1024 * 1024,
  supplementaryEntries: 128,
  /** resourceId, resourceName, arn and the other identifying strings. */
  idChars: 2048,
  depth: 64,
} as const;

/** Item states that carry a configuration (the *NotRecorded and *Deleted states do not, or describe a gone resource). */
const USABLE_STATUS = new Set(['OK', 'ResourceDiscovered']);

function depthWithin(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return false;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return true;
}

/** JSON.parse of an untrusted string, bounded in size and nesting; undefined when it is not such JSON. */
export function parseBoundedJson(text: unknown, maxChars: number = ITEM_LIMITS.jsonChars): unknown {
  if (typeof text !== 'string' || text.length > maxChars) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return depthWithin(value, ITEM_LIMITS.depth) ? value : undefined;
  } catch {
    return undefined;
  }
}

function boundedString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= ITEM_LIMITS.idChars ? value : undefined;
}

function isoTime(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  return date && Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
}

/**
 * A BatchGetResourceConfig / BatchGetAggregateResourceConfig item, decoded: `configuration` and every
 * supplementary value parsed once from JSON. Undefined when a required field is missing, oversized or not JSON.
 */
export function decodeItem(raw: BaseConfigurationItem): ConfigItem | undefined {
  const resourceType = boundedString(raw.resourceType);
  const resourceId = boundedString(raw.resourceId);
  const accountId = typeof raw.accountId === 'string' && /^\d{12}$/.test(raw.accountId) ? raw.accountId : undefined;
  const awsRegion = typeof raw.awsRegion === 'string' && /^[a-z0-9-]{1,32}$/.test(raw.awsRegion) ? raw.awsRegion : undefined;
  const capturedAt = isoTime(raw.configurationItemCaptureTime);
  const status = boundedString(raw.configurationItemStatus);
  if (!resourceType || !resourceId || !accountId || !awsRegion || !capturedAt || !status) return undefined;
  // A usable item must carry its configuration; the others are kept only to be refused by acceptItem.
  const configuration = raw.configuration === undefined || raw.configuration === null ? null : parseBoundedJson(raw.configuration);
  if (configuration === undefined) return undefined;
  const supplementary: Record<string, unknown> = {};
  const entries = Object.entries(raw.supplementaryConfiguration ?? {});
  if (entries.length > ITEM_LIMITS.supplementaryEntries) return undefined;
  for (const [key, text] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (!boundedString(key)) return undefined;
    const value = parseBoundedJson(text);
    // A value that is not JSON (e.g. a bare word) is dropped, not guessed: readers treat the key as absent.
    if (value !== undefined) supplementary[key] = value;
  }
  const resourceName = boundedString(raw.resourceName);
  const arn = boundedString(raw.arn);
  return {
    resourceType,
    resourceId,
    ...(resourceName ? { resourceName } : {}),
    ...(arn ? { arn } : {}),
    accountId,
    awsRegion,
    configurationItemCaptureTime: capturedAt,
    configurationItemStatus: status,
    configurationStateId: boundedString(raw.configurationStateId) ?? '',
    configuration,
    supplementaryConfiguration: supplementary,
  };
}

export interface AcceptRule {
  resourceType: string;
  account: string;
  /** The region the items were asked for, or `global` for IAM types. */
  region: string;
  /** The run's start: items must be captured within maxAgeMs before it. */
  runStart: Date;
  maxAgeMs: number;
}

/** Clock skew allowed for a capture time after the run's start (a later capture is simply fresher). */
const FUTURE_SKEW_MS = 60 * 60 * 1000;

/**
 * Why an item cannot stand for its resource, or undefined when it can: usable status, fresh, and of exactly the
 * account, region and type asked for (an item claiming another account or region is never attributed to this one).
 */
export function rejectReason(item: ConfigItem, rule: AcceptRule): string | undefined {
  if (item.resourceType !== rule.resourceType) return 'type';
  if (item.accountId !== rule.account) return 'account';
  if (item.awsRegion !== rule.region) return 'region';
  if (!USABLE_STATUS.has(item.configurationItemStatus) || item.configuration === null) return 'status';
  const captured = Date.parse(item.configurationItemCaptureTime);
  const start = rule.runStart.getTime();
  if (captured < start - rule.maxAgeMs) return 'stale';
  if (captured > start + FUTURE_SKEW_MS) return 'future';
  return undefined;
}
