import { describe, expect, it } from 'vitest';
import { managementEventCoverage } from '../../../../collectors/cloudtrail/event-selectors.js';

describe('managementEventCoverage', () => {
  it('treats a trail without custom selectors as logging all management events (CloudTrail default)', () => {
    expect(managementEventCoverage({ EventSelectors: [], AdvancedEventSelectors: [] }, false)).toEqual({
      includeManagementEvents: true,
      managementEventsRead: true,
      managementEventsWrite: true,
      readWriteType: 'ALL',
      selectorSource: 'default',
    });
  });

  it('reports nothing when custom selectors are declared but empty', () => {
    expect(managementEventCoverage({}, true)).toMatchObject({ includeManagementEvents: false, readWriteType: 'NONE', selectorSource: 'none' });
  });

  it.each([
    [[{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }], 'ALL'],
    [[{ ReadWriteType: 'ReadOnly' as const, IncludeManagementEvents: true }], 'READ_ONLY'],
    [[{ ReadWriteType: 'WriteOnly' as const }], 'WRITE_ONLY'],
    [[{ ReadWriteType: 'All' as const, IncludeManagementEvents: false }], 'NONE'],
    [[{ ReadWriteType: 'ReadOnly' as const }, { ReadWriteType: 'WriteOnly' as const }], 'ALL'],
  ])('classic selectors %j -> %s', (selectors, expected) => {
    const coverage = managementEventCoverage({ EventSelectors: selectors }, true);
    expect(coverage.readWriteType).toBe(expected);
    expect(coverage.selectorSource).toBe('classic');
  });

  const mgmt = { Field: 'eventCategory', Equals: ['Management'] };
  it.each([
    [[{ FieldSelectors: [mgmt] }], 'ALL'],
    [[{ FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['true'] }] }], 'READ_ONLY'],
    [[{ FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['false'] }] }], 'WRITE_ONLY'],
    [[{ FieldSelectors: [mgmt, { Field: 'readOnly', NotEquals: ['true'] }] }], 'WRITE_ONLY'],
    [[{ FieldSelectors: [mgmt, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }] }], 'ALL'],
    [[{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }], 'NONE'],
    [
      [
        { FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['true'] }] },
        { FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['false'] }] },
      ],
      'ALL',
    ],
  ])('advanced selectors %j -> %s', (selectors, expected) => {
    const coverage = managementEventCoverage({ AdvancedEventSelectors: selectors }, true);
    expect(coverage.readWriteType).toBe(expected);
    expect(coverage.selectorSource).toBe('advanced');
  });

  it('prefers advanced selectors when both are present', () => {
    const coverage = managementEventCoverage(
      { EventSelectors: [{ ReadWriteType: 'All' }], AdvancedEventSelectors: [{ FieldSelectors: [mgmt, { Field: 'readOnly', Equals: ['true'] }] }] },
      true,
    );
    expect(coverage.readWriteType).toBe('READ_ONLY');
  });
});
