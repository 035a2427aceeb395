/** preferConfigItems (issue 11): the live listing is authoritative; items only stand in under --source config. */
import { describe, expect, it } from 'vitest';
import { mergeLive, preferConfigItems, type FromItem } from '../../../../collectors/config/prefer-items.js';
import type { ConfigSource } from '../../../../src/core/collector.js';
import type { ConfigItem, Resource } from '../../../../src/core/types.js';
import { configItem } from './config-item-helpers.js';

const live = (id: string, extra: Record<string, unknown> = {}): Resource => ({ id: `arn:x:${id}`, type: 'AWS::Test::Thing', name: id, size: 1, state: 'live', ...extra });
const item = (id: string, configuration: unknown = { id, size: 2 }): ConfigItem => configItem('AWS::Test::Thing', id, configuration);
/** Maps `{id, size}`; `state` is never in an item (read live). */
const fromItem: FromItem = (i) => {
  const c = i.configuration as { id?: unknown; size?: unknown } | null;
  if (typeof c?.id !== 'string') return undefined;
  return { resource: { id: `arn:x:${c.id}`, type: 'AWS::Test::Thing', name: c.id, size: c.size }, missing: ['state'] };
};
function source(mode: 'auto' | 'config', items: ConfigItem[] | undefined): ConfigSource & { asked: (readonly string[] | undefined)[] } {
  const asked: (readonly string[] | undefined)[] = [];
  return { mode, asked, items: async (_type, ids) => (asked.push(ids), items && new Map(items.map((i) => [i.resourceId, i]))) };
}

describe('preferConfigItems', () => {
  it('config: the item resource with the missing fields from live and provenance; others live, in the live order', async () => {
    const config = source('config', [item('b'), item('c'), item('a', {})]);
    const out = await preferConfigItems({ config }, 'AWS::Test::Thing', [live('a'), live('b')], (r) => [r.name as string], fromItem);
    expect(out.resources).toEqual([
      live('a'),
      { ...live('b'), size: 2, provenance: { source: 'config', capturedAt: '2026-11-30T10:00:00.000Z', configurationStateId: '1732960800000', liveFields: ['state'] } },
    ]);
    // The whole listing (the source reads it whole anyway).
    expect(config.asked).toEqual([undefined]);
    expect(out.raw).toEqual({ 'BatchGetResourceConfig:0001': [item('b')] });
  });

  it('an item that maps onto another resource (stale, wrong id) or throws is not used', async () => {
    const throwing: FromItem = (i) => (i.resourceId === 'a' ? (() => { throw new Error('odd'); })() : fromItem(i));
    const config = source('config', [item('a'), { ...item('b'), configuration: { id: 'z', size: 2 } }]);
    const out = await preferConfigItems({ config }, 'AWS::Test::Thing', [live('a'), live('b')], (r) => [r.name as string], throwing);
    expect(out.resources).toEqual([live('a'), live('b')]);
    expect(out.items).toEqual([]);
  });

  it('tries every plausible id (a unique id, then a name)', async () => {
    const config = source('config', [item('b')]);
    const out = await preferConfigItems({ config }, 'AWS::Test::Thing', [live('b')], () => ['ID-OF-B', undefined, 'b'], fromItem);
    expect(out.resources[0]?.provenance).toBeDefined();
  });

  it('without a matching id, the one item that maps onto the resource is used; two such items: none', async () => {
    const one = await preferConfigItems({ config: source('config', [item('ID-B', { id: 'b', size: 2 })]) }, 'AWS::Test::Thing', [live('b')], () => [], fromItem);
    expect(one.resources[0]?.size).toBe(2);
    const two = await preferConfigItems({ config: source('config', [item('ID-B', { id: 'b', size: 2 }), item('ID-B2', { id: 'b', size: 3 })]) }, 'AWS::Test::Thing', [live('b')], () => [], fromItem);
    expect(two.resources).toEqual([live('b')]);
  });

  it('auto, no source, or no items: the live resources unchanged, and auto does not ask', async () => {
    const auto = source('auto', [item('a')]);
    for (const config of [auto, undefined, source('config', undefined)]) {
      const out = await preferConfigItems({ config }, 'AWS::Test::Thing', [live('a')], (r) => [r.name as string], fromItem);
      expect(out).toEqual({ resources: [live('a')], raw: {}, items: [] });
    }
    expect(auto.asked).toEqual([]);
  });

  it('keeps the errors of live calls only for the fields taken live', () => {
    const errors = [
      { fields: ['state', 'size'], action: 'x:Get', code: 'AccessDenied', message: 'no' },
      { fields: ['size'], action: 'x:Other', code: 'AccessDenied', message: 'no' },
    ];
    const { state: _s, size: _z, ...partial } = live('a');
    const merged = mergeLive({ id: 'arn:x:a', type: 'AWS::Test::Thing', name: 'a', size: 2 }, ['state'], { ...partial, collectionErrors: errors }, item('a'));
    expect(merged).toEqual({ id: 'arn:x:a', type: 'AWS::Test::Thing', name: 'a', size: 2, collectionErrors: [{ ...errors[0], fields: ['state'] }], provenance: expect.objectContaining({ liveFields: ['state'] }) });
    expect(Object.keys(merged).slice(0, 4)).toEqual(['id', 'type', 'name', 'size']);
  });
});
