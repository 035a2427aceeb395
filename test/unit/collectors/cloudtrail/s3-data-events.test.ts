import { describe, expect, it } from 'vitest';
import { s3DataEventCoverage } from '../../../../collectors/cloudtrail/event-selectors.js';

const none = { s3DataEventsRead: false, s3DataEventsWrite: false };

describe('s3DataEventCoverage (S3.22 / S3.23)', () => {
  it('no selectors (CloudTrail default) records no data events', () => {
    expect(s3DataEventCoverage({})).toEqual(none);
  });
  it.each([
    ['All', true, true],
    ['WriteOnly', false, true],
    ['ReadOnly', true, false],
    [undefined, true, true],
  ] as const)('basic selector for all buckets with ReadWriteType %s', (rw, read, write) => {
    const selectors = { EventSelectors: [{ ReadWriteType: rw, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] };
    expect(s3DataEventCoverage(selectors)).toEqual({ s3DataEventsRead: read, s3DataEventsWrite: write });
  });
  it('arn:aws:s3::: also means all buckets; one bucket does not', () => {
    expect(s3DataEventCoverage({ EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::'] }] }] })).toEqual({ s3DataEventsRead: true, s3DataEventsWrite: true });
    expect(s3DataEventCoverage({ EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::bucket/'] }] }] })).toEqual(none);
    expect(s3DataEventCoverage({ EventSelectors: [{ DataResources: [{ Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] }] })).toEqual(none);
  });
  it('read and write may come from two selectors', () => {
    const all = [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }];
    expect(s3DataEventCoverage({ EventSelectors: [{ ReadWriteType: 'ReadOnly', DataResources: all }, { ReadWriteType: 'WriteOnly', DataResources: all }] })).toEqual({ s3DataEventsRead: true, s3DataEventsWrite: true });
  });
  it('advanced selectors: data events on S3 objects, readOnly narrows', () => {
    const base = [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }];
    expect(s3DataEventCoverage({ AdvancedEventSelectors: [{ FieldSelectors: base }] })).toEqual({ s3DataEventsRead: true, s3DataEventsWrite: true });
    expect(s3DataEventCoverage({ AdvancedEventSelectors: [{ FieldSelectors: [...base, { Field: 'readOnly', Equals: ['false'] }] }] })).toEqual({ s3DataEventsRead: false, s3DataEventsWrite: true });
    expect(s3DataEventCoverage({ AdvancedEventSelectors: [{ FieldSelectors: [...base, { Field: 'readOnly', Equals: ['true'] }] }] })).toEqual({ s3DataEventsRead: true, s3DataEventsWrite: false });
  });
  it('advanced selectors narrowed to some buckets or events do not count', () => {
    const base = [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }];
    expect(s3DataEventCoverage({ AdvancedEventSelectors: [{ FieldSelectors: [...base, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::bucket/'] }] }] })).toEqual(none);
    expect(s3DataEventCoverage({ AdvancedEventSelectors: [{ FieldSelectors: [...base, { Field: 'eventName', Equals: ['PutObject'] }] }] })).toEqual(none);
    expect(s3DataEventCoverage({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] })).toEqual(none);
  });
});
