import { describe, expect, it } from 'vitest';
import { date, intOrNull, Missing, placement, text, textOrNull, withinDepth } from '../../../../collectors/config/fields-config-item.js';
import { configItem } from './config-item-helpers.js';

describe('Config item field readers', () => {
  it('reads bounded strings and tells null (unset) from absent or odd (unknown)', () => {
    expect(text('a')).toBe('a');
    expect(text('x'.repeat(3000))).toBeUndefined();
    expect(textOrNull(null)).toBeNull();
    expect(textOrNull(undefined)).toBeUndefined();
    expect(textOrNull(5)).toBeUndefined();
    expect(intOrNull(3)).toBe(3);
    expect(intOrNull(3.5)).toBeUndefined();
    expect(intOrNull(Number.MAX_VALUE)).toBeUndefined();
  });

  it('parses the timestamp forms AWS and moto write, and nothing else', () => {
    expect(date('2019-03-27T17:23:43.000Z')?.toISOString()).toBe('2019-03-27T17:23:43.000Z');
    expect(date('2026-12-01 11:14:48.300890')?.toISOString()).toBe('2026-12-01T11:14:48.301Z');
    expect(date('2026-12-01T11:14:48.071271+00:00')?.toISOString()).toBe('2026-12-01T11:14:48.071Z');
    expect(date('2026-12-01T13:14:48+02:00')?.toISOString()).toBe('2026-12-01T11:14:48.000Z');
    expect(date('2026-12-01T11:14:59.9996Z')?.toISOString()).toBe('2026-12-01T11:15:00.000Z');
    expect(date(1621024924302)?.toISOString()).toBe('2021-05-14T20:42:04.302Z');
    for (const odd of ['yesterday', '2026-13-45T99:99:99Z', '2026-12-01', 'x'.repeat(100), Number.NaN, null, {}]) expect(date(odd)).toBeUndefined();
  });

  it('bounds nesting without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(withinDepth(deep)).toBe(false);
    expect(withinDepth({ a: [{ b: 1 }] })).toBe(true);
  });

  it('places an item only in a well-formed account and region', () => {
    expect(placement(configItem('T', 'id', {}))).toEqual({ account: '123456789012', region: 'us-east-1' });
    expect(placement(configItem('T', 'id', {}, { awsRegion: 'global' }))).toBeUndefined();
    expect(placement(configItem('T', 'id', {}, { accountId: '12' }))).toBeUndefined();
  });

  it('removes missing fields, never id or type, and lists them sorted', () => {
    const m = new Missing();
    expect(m.need(undefined, 'b', 'id')).toBeUndefined();
    expect(m.need(null, 'c')).toBeNull();
    m.add('a');
    expect(m.apply({ id: 'x', type: 'T', a: 1, b: 2, c: 3 })).toEqual({ resource: { id: 'x', type: 'T', c: 3 }, missing: ['a', 'b'] });
  });
});
