/**
 * Config items for collectors whose live listing is authoritative (issue 11). The live listing decides which
 * resources exist: Config never adds or removes one. Under `--source config`, a live resource with an accepted
 * item that maps onto the same resource id is taken from the item, with the fields the item lacks taken from the
 * live resource (and their collection errors, if any), and carries provenance. Anything else stays live, unchanged.
 * Under `--source auto` nothing changes: for a one-call listing an item saves no call.
 */
import type { CollectContext } from '../../src/core/collector.js';
import { COLLECTION_ERRORS, PROVENANCE, type ConfigItem, type FieldError, type Resource } from '../../src/core/types.js';
import { configItemsRaw, provenanceOf } from '../../src/collect/config-source.js';

/** A per-type item normaliser (`volumeFromConfig` …): the resource and the top-level fields the item lacked. */
export type FromItem = (item: ConfigItem) => { resource: Resource; missing: string[] } | undefined;

export interface Preferred {
  /** The live resources, in the live order; those served by an item replaced by the merged resource. */
  resources: Resource[];
  /** Raw evidence of the items used (`BatchGetResourceConfig:<chunk>`), to merge into the collector's raw. */
  raw: Record<string, ConfigItem[]>;
  /** The items used (a collector preferring items of several types builds one raw from all of them). */
  items: ConfigItem[];
}

/**
 * The item's resource, with each missing field (and the errors of the live calls that would have filled it) from
 * the live resource, in the live resource's key order, and provenance.
 */
export function mergeLive(fromItem: Resource, missing: readonly string[], live: Resource, item: ConfigItem): Resource {
  const lacking = new Set(missing);
  const keys = [...new Set([...Object.keys(live), ...Object.keys(fromItem)])].filter((k) => k !== COLLECTION_ERRORS && k !== PROVENANCE);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const from = lacking.has(key) ? live : fromItem;
    if (key in from) out[key] = from[key];
  }
  const errors = (live.collectionErrors ?? [])
    .map((e): FieldError => ({ ...e, fields: e.fields.filter((f) => lacking.has(f)) }))
    .filter((e) => e.fields.length > 0);
  if (errors.length > 0) out[COLLECTION_ERRORS] = errors;
  out[PROVENANCE] = provenanceOf(item, missing);
  return out as Resource;
}

/**
 * The live resources, each replaced by its item's resource (merged with the live one) under `--source config`.
 * `itemIdsOf` names the plausible Config resourceIds of a live resource (by index, so a collector can use its live
 * answer: RDS's DbiResourceId, a role's unique id and name); the first whose item maps onto the same resource id
 * wins. When none does (an id the live answer lacks: moto leaves some out), the item that maps onto the resource's
 * id is used, if exactly one does. An item is used for one resource at most.
 */
export async function preferConfigItems(
  ctx: Pick<CollectContext, 'config'>,
  resourceType: string,
  live: readonly Resource[],
  itemIdsOf: (resource: Resource, index: number) => readonly (string | undefined)[],
  fromItem: FromItem,
): Promise<Preferred> {
  if (ctx.config?.mode !== 'config' || live.length === 0) return { resources: [...live], raw: {}, items: [] };
  // The whole listing is asked for (the source reads it whole anyway) so an item can also be found by what it maps to.
  const items = await ctx.config.items(resourceType);
  if (!items || items.size === 0) return { resources: [...live], raw: {}, items: [] };
  const mapped = new Map<ConfigItem, ReturnType<FromItem>>();
  const mapOf = (item: ConfigItem): ReturnType<FromItem> => {
    if (!mapped.has(item)) mapped.set(item, item.resourceType === resourceType ? safely(fromItem, item) : undefined);
    return mapped.get(item);
  };
  let byMappedId: Map<string, ConfigItem[]> | undefined;
  const mappingOnto = (id: string): ConfigItem[] => {
    if (!byMappedId) {
      byMappedId = new Map();
      for (const item of [...items.values()].sort((a, b) => a.resourceId.localeCompare(b.resourceId))) {
        const m = mapOf(item);
        if (m) byMappedId.set(m.resource.id, [...(byMappedId.get(m.resource.id) ?? []), item]);
      }
    }
    return byMappedId.get(id) ?? [];
  };
  const used = new Set<ConfigItem>();
  const resources = live.map((resource, i) => {
    const byId = itemIdsOf(resource, i).flatMap((id) => (typeof id === 'string' && id.length > 0 && items.get(id)) || []);
    const onto = mappingOnto(resource.id);
    const candidates = [...byId, ...(onto.length === 1 ? onto : [])];
    for (const item of candidates) {
      const m = mapOf(item);
      if (used.has(item) || !m || m.resource.id !== resource.id || m.resource.type !== resource.type) continue;
      used.add(item);
      return mergeLive(m.resource, m.missing, resource, item);
    }
    return resource;
  });
  return { resources, raw: configItemsRaw(used), items: [...used] };
}

/** A normaliser that throws on an odd item costs only that item (the resource stays live). */
function safely(fromItem: FromItem, item: ConfigItem): ReturnType<FromItem> {
  try {
    return fromItem(item);
  } catch {
    return undefined;
  }
}
