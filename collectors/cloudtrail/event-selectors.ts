import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';

export type ReadWriteType = 'ALL' | 'READ_ONLY' | 'WRITE_ONLY' | 'NONE';

/** Which management events a trail records, derived from its classic or advanced event selectors. */
export interface ManagementEventCoverage {
  includeManagementEvents: boolean;
  managementEventsRead: boolean;
  managementEventsWrite: boolean;
  /** ALL when both read and write management events are recorded (what CloudTrail.1 requires). */
  readWriteType: ReadWriteType;
  /** Where the answer came from: advanced or classic selectors, or CloudTrail's default (no custom selectors). */
  selectorSource: 'advanced' | 'classic' | 'default' | 'none';
}

export interface TrailSelectors {
  EventSelectors?: EventSelector[] | undefined;
  AdvancedEventSelectors?: AdvancedEventSelector[] | undefined;
}

/**
 * A trail uses either classic or advanced selectors. A trail without custom selectors logs all management
 * events (CloudTrail's default), which is what `HasCustomEventSelectors: false` with empty lists means.
 */
export function managementEventCoverage(selectors: TrailSelectors, hasCustomEventSelectors: boolean): ManagementEventCoverage {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  const classic = selectors.EventSelectors ?? [];
  if (advanced.length > 0) return coverage(advanced.map(advancedSelectorCoverage), 'advanced');
  if (classic.length > 0) return coverage(classic.map(classicSelectorCoverage), 'classic');
  if (!hasCustomEventSelectors) return coverage([{ read: true, write: true }], 'default');
  return coverage([], 'none');
}

interface SelectorCoverage {
  read: boolean;
  write: boolean;
}

function coverage(parts: SelectorCoverage[], selectorSource: ManagementEventCoverage['selectorSource']): ManagementEventCoverage {
  const read = parts.some((p) => p.read);
  const write = parts.some((p) => p.write);
  const readWriteType: ReadWriteType = read && write ? 'ALL' : read ? 'READ_ONLY' : write ? 'WRITE_ONLY' : 'NONE';
  return { includeManagementEvents: read || write, managementEventsRead: read, managementEventsWrite: write, readWriteType, selectorSource };
}

/** Classic selector: IncludeManagementEvents and ReadWriteType both default to "on" / All when omitted. */
function classicSelectorCoverage(selector: EventSelector): SelectorCoverage {
  if (selector.IncludeManagementEvents === false) return { read: false, write: false };
  const rw = selector.ReadWriteType ?? 'All';
  return { read: rw === 'All' || rw === 'ReadOnly', write: rw === 'All' || rw === 'WriteOnly' };
}

/** Advanced selector: management events need `eventCategory = Management`; `readOnly` narrows to reads or writes. */
function advancedSelectorCoverage(selector: AdvancedEventSelector): SelectorCoverage {
  const fields = selector.FieldSelectors ?? [];
  const category = fields.find((f) => f.Field === 'eventCategory');
  if (!category?.Equals?.includes('Management')) return { read: false, write: false };
  const readOnly = fields.find((f) => f.Field === 'readOnly');
  return readOnlyCoverage(readOnly);
}

function readOnlyCoverage(field: AdvancedFieldSelector | undefined): SelectorCoverage {
  if (!field) return { read: true, write: true };
  const allows = (value: 'true' | 'false'): boolean => {
    if (field.Equals && field.Equals.length > 0 && !field.Equals.includes(value)) return false;
    if (field.NotEquals?.includes(value)) return false;
    return true;
  };
  return { read: allows('true'), write: allows('false') };
}

/** Whether a trail records S3 object-level (data) events for all current and future buckets (S3.22 / S3.23). */
export interface S3DataEventCoverage {
  s3DataEventsRead: boolean;
  s3DataEventsWrite: boolean;
}

/** Basic-selector values that mean "every bucket": `arn:aws:s3` (documented) and `arn:aws:s3:::`, in any partition. */
const ALL_BUCKETS = /^arn:aws(-[a-z-]+)?:s3(:::)?$/;
/** Advanced-selector fields that do not narrow which S3 object events are recorded. */
const NON_NARROWING = new Set(['eventCategory', 'resources.type', 'readOnly']);

/**
 * S3 data events for all buckets, from classic selectors (DataResources `AWS::S3::Object` with `arn:aws:s3`, by
 * ReadWriteType) or advanced ones (`eventCategory = Data`, `resources.type = AWS::S3::Object`, no other field
 * condition such as resources.ARN or eventName that narrows it; `readOnly` picks reads or writes).
 * https://docs.aws.amazon.com/config/latest/developerguide/cloudtrail-all-write-s3-data-event-check.html
 */
export function s3DataEventCoverage(selectors: TrailSelectors): S3DataEventCoverage {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  const parts: SelectorCoverage[] = advanced.length > 0 ? advanced.map(advancedS3Coverage) : (selectors.EventSelectors ?? []).map(classicS3Coverage);
  return { s3DataEventsRead: parts.some((p) => p.read), s3DataEventsWrite: parts.some((p) => p.write) };
}

function classicS3Coverage(selector: EventSelector): SelectorCoverage {
  const all = (selector.DataResources ?? []).some((d) => d.Type === 'AWS::S3::Object' && (d.Values ?? []).some((v) => ALL_BUCKETS.test(v)));
  if (!all) return { read: false, write: false };
  const rw = selector.ReadWriteType ?? 'All';
  return { read: rw === 'All' || rw === 'ReadOnly', write: rw === 'All' || rw === 'WriteOnly' };
}

function advancedS3Coverage(selector: AdvancedEventSelector): SelectorCoverage {
  const fields = selector.FieldSelectors ?? [];
  const equalsOnly = (name: string, value: string): boolean => {
    const f = fields.find((x) => x.Field === name);
    return Boolean(f?.Equals?.length === 1 && f.Equals[0] === value && !f.NotEquals?.length && !f.StartsWith?.length && !f.NotStartsWith?.length && !f.EndsWith?.length && !f.NotEndsWith?.length);
  };
  if (!equalsOnly('eventCategory', 'Data') || !equalsOnly('resources.type', 'AWS::S3::Object')) return { read: false, write: false };
  if (fields.some((f) => !NON_NARROWING.has(f.Field ?? ''))) return { read: false, write: false };
  return readOnlyCoverage(fields.find((f) => f.Field === 'readOnly'));
}
