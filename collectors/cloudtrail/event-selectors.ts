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
