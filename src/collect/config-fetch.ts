import {
  BatchGetAggregateResourceConfigCommand,
  BatchGetResourceConfigCommand,
  ListAggregateDiscoveredResourcesCommand,
  ListDiscoveredResourcesCommand,
  type AggregateResourceIdentifier,
  type BaseConfigurationItem,
  type ConfigServiceClient,
  type ResourceKey,
} from '@aws-sdk/client-config-service';

/**
 * The Config reads behind a ConfigSource: listings (paginated, 100 a page) and batch gets (at most 100 keys a
 * call). A batch the service fails on (moto answers 500 for a whole batch when one bucket has a public ACL) is
 * split in halves down to single keys, so one bad item costs only itself; unprocessed keys are asked once more and
 * then left to live collection. A client-side refusal (AccessDenied, validation) is not split: it fails the read.
 */

export const BATCH_KEYS = 100;
/** Resources of one type in one account and region beyond which Config is not used (live collection instead). */
export const MAX_LISTED = 100_000;
const MAX_PAGES = MAX_LISTED / 100 + 1;

/** Whether splitting a failed batch could help: the service failed (5xx), or its answer did not parse. */
export function isServerSideFailure(err: unknown): boolean {
  const e = err as { $fault?: string; $metadata?: { httpStatusCode?: number }; name?: string };
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  // A deserialisation failure (HTTP 200 whose body the SDK cannot read) is about the items, not the caller.
  return e.$fault === undefined && (e.name === 'TypeError' || e.name === 'SyntaxError');
}

interface BatchAnswer<K> {
  items: BaseConfigurationItem[];
  unprocessed: K[];
}

/** Fetches keys in batches of BATCH_KEYS, splitting failed batches; returns the items and the keys left out. */
export async function fetchInBatches<K>(keys: readonly K[], send: (batch: K[]) => Promise<BatchAnswer<K>>): Promise<{ items: BaseConfigurationItem[]; leftOut: K[] }> {
  const items: BaseConfigurationItem[] = [];
  const leftOut: K[] = [];
  const run = async (batch: K[], retryUnprocessed: boolean): Promise<void> => {
    let answer: BatchAnswer<K>;
    try {
      answer = await send(batch);
    } catch (err) {
      if (!isServerSideFailure(err)) throw err;
      if (batch.length === 1) {
        leftOut.push(...batch);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await Promise.all([run(batch.slice(0, half), retryUnprocessed), run(batch.slice(half), retryUnprocessed)]);
      return;
    }
    items.push(...answer.items);
    if (answer.unprocessed.length === 0) return;
    if (retryUnprocessed) await run(answer.unprocessed.slice(0, batch.length), false);
    else leftOut.push(...answer.unprocessed);
  };
  const batches: K[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_KEYS) batches.push(keys.slice(i, i + BATCH_KEYS));
  await Promise.all(batches.map((b) => run(b, true)));
  return { items, leftOut };
}

class TooManyResources extends Error {
  override name = 'TooManyResources';
}

/** ListDiscoveredResources for one type, without deleted resources: resource ids in listing order. */
export async function listResourceIds(client: ConfigServiceClient, resourceType: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(new ListDiscoveredResourcesCommand({ resourceType: resourceType as never, limit: 100, ...(nextToken ? { nextToken } : {}) }));
    for (const r of out.resourceIdentifiers ?? []) if (r.resourceId && !r.resourceDeletionTime) ids.push(r.resourceId);
    if (ids.length > MAX_LISTED) throw new TooManyResources(`more than ${MAX_LISTED} ${resourceType} in Config`);
    nextToken = out.nextToken || undefined;
    if (!nextToken) return ids;
  }
  throw new TooManyResources(`more than ${MAX_PAGES} pages of ${resourceType} in Config`);
}

export async function batchGetItems(client: ConfigServiceClient, resourceType: string, ids: readonly string[]): Promise<{ items: BaseConfigurationItem[]; leftOut: string[] }> {
  const keys: ResourceKey[] = ids.map((resourceId) => ({ resourceType: resourceType as never, resourceId }));
  const { items, leftOut } = await fetchInBatches(keys, async (batch) => {
    const out = await client.send(new BatchGetResourceConfigCommand({ resourceKeys: batch }));
    return { items: out.baseConfigurationItems ?? [], unprocessed: out.unprocessedResourceKeys ?? [] };
  });
  return { items, leftOut: leftOut.map((k) => k.resourceId ?? '') };
}

export interface AggregateScope {
  aggregator: string;
  account: string;
  /** Region filter; undefined for global (IAM) types. */
  region?: string;
}

/** ListAggregateDiscoveredResources filtered to one account (and region): identifiers of that account only. */
export async function listAggregateIds(client: ConfigServiceClient, resourceType: string, scope: AggregateScope): Promise<AggregateResourceIdentifier[]> {
  const ids: AggregateResourceIdentifier[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(
      new ListAggregateDiscoveredResourcesCommand({
        ConfigurationAggregatorName: scope.aggregator,
        ResourceType: resourceType as never,
        Filters: { AccountId: scope.account, ...(scope.region ? { Region: scope.region } : {}) },
        Limit: 100,
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    // The filter is the service's promise; the identifiers are checked again (and the items once more later).
    for (const r of out.ResourceIdentifiers ?? [])
      if (r.ResourceId && r.SourceAccountId === scope.account && (!scope.region || r.SourceRegion === scope.region)) ids.push(r);
    if (ids.length > MAX_LISTED) throw new TooManyResources(`more than ${MAX_LISTED} ${resourceType} in aggregator ${scope.aggregator}`);
    NextToken = out.NextToken || undefined;
    if (!NextToken) return ids;
  }
  throw new TooManyResources(`more than ${MAX_PAGES} pages of ${resourceType} in aggregator ${scope.aggregator}`);
}

export async function batchGetAggregateItems(client: ConfigServiceClient, aggregator: string, ids: readonly AggregateResourceIdentifier[]): Promise<BaseConfigurationItem[]> {
  const { items } = await fetchInBatches([...ids], async (batch) => {
    const out = await client.send(new BatchGetAggregateResourceConfigCommand({ ConfigurationAggregatorName: aggregator, ResourceIdentifiers: batch }));
    return { items: out.BaseConfigurationItems ?? [], unprocessed: out.UnprocessedResourceIdentifiers ?? [] };
  });
  return items;
}
