import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  type AggregatedSourceStatus,
  type BaseConfigurationItem,
} from '@aws-sdk/client-config-service';
import type { ClientProvider, ConfigSource, EvidenceSource } from '../core/collector.js';
import type { ConfigItem, Provenance } from '../core/types.js';
import { batchGetAggregateItems, batchGetItems, BATCH_KEYS, listAggregateIds, listResourceIds } from './config-fetch.js';
import { decodeItem, rejectReason, type AcceptRule } from './config-items.js';
import { installMotoTimestampShim } from './config-moto-shim.js';
import { isGlobalType, recordsContinuously } from './config-recorder.js';

/**
 * AWS Config as an evidence source (`--source auto|config`). One ConfigSources per run hands each collector run a
 * ConfigSource for its account and region. Every failure of a Config call (recorded in the collector's call log
 * like any call) makes the source answer undefined, so the collector reads live: Config never causes an ERROR.
 */

/** Types collected by an account-scope collector whose resources live in regions: their items come from every run region. */
const REGION_SPREAD_TYPES = new Set(['AWS::S3::Bucket']);

export interface ConfigSettings {
  source: EvidenceSource;
  /** --config-max-age in milliseconds. */
  maxAgeMs: number;
  aggregator?: { name: string; region: string };
}

export interface ConfigSourcesOptions extends ConfigSettings {
  runStart: Date;
  regions: readonly string[];
  homeRegion: string;
  /** The caller's clients (the aggregator is read with one set of credentials). */
  callerClients?: (region: string) => ClientProvider;
  /** Install the moto timestamp shim on Config clients (endpoint override). */
  motoShim?: boolean;
}

export interface SourceTarget {
  account: string;
  clientsFor(region: string): ClientProvider;
}

const viaAggregator = new WeakMap<ConfigItem, string>();

/** The provenance of a resource built from `item`, with the top-level fields read live (sorted). */
export function provenanceOf(item: ConfigItem, liveFields: readonly string[]): Provenance {
  const aggregator = viaAggregator.get(item);
  return {
    source: 'config',
    capturedAt: item.configurationItemCaptureTime,
    configurationStateId: item.configurationStateId,
    liveFields: [...new Set(liveFields)].sort(),
    ...(aggregator ? { aggregator } : {}),
  };
}

/** Raw evidence of the items a collector used: `BatchGetResourceConfig:<chunk>` in resourceId order, 100 a chunk. */
export function configItemsRaw(items: Iterable<ConfigItem>): Record<string, ConfigItem[]> {
  const sorted = [...items].sort((a, b) => a.awsRegion.localeCompare(b.awsRegion) || a.resourceId.localeCompare(b.resourceId));
  const raw: Record<string, ConfigItem[]> = {};
  for (let i = 0; i < sorted.length; i += BATCH_KEYS) raw[`BatchGetResourceConfig:${String(i / BATCH_KEYS + 1).padStart(4, '0')}`] = sorted.slice(i, i + BATCH_KEYS);
  return raw;
}

type Items = Map<string, ConfigItem> | undefined;

export class ConfigSources {
  private readonly memo = new Map<string, Promise<Items>>();
  private readonly recorders = new Map<string, Promise<((type: string) => boolean) | undefined>>();
  private coverage?: Promise<AggregatedSourceStatus[] | undefined>;
  private readonly callerProviders = new Map<string, ClientProvider>();

  constructor(private readonly options: ConfigSourcesOptions) {}

  /** The source for one collector run; undefined with --source api. */
  sourceFor(target: SourceTarget, region: string, scope: 'account' | 'region'): ConfigSource | undefined {
    if (this.options.source === 'api') return undefined;
    return {
      mode: this.options.source,
      items: async (resourceType, resourceIds) => {
        const regions = isGlobalType(resourceType) ? [this.options.homeRegion] : scope === 'account' && REGION_SPREAD_TYPES.has(resourceType) ? [...this.options.regions].sort() : [region];
        const maps = await Promise.all(regions.map((r) => this.regionItems(target, r, resourceType)));
        if (maps.every((m) => m === undefined)) return undefined;
        const wanted = resourceIds ? new Set(resourceIds) : undefined;
        const out = new Map<string, ConfigItem>();
        for (const map of maps) for (const [id, item] of map ?? []) if ((!wanted || wanted.has(id)) && !out.has(id)) out.set(id, item);
        return out;
      },
    };
  }

  /**
   * Drops what was memoised for an account once its last collector run is done (the scheduler closes the account):
   * without it, the items of every account of an organisation would stay in memory until the run ends.
   */
  forget(account: string): void {
    const prefix = `${account}|`;
    for (const key of [...this.memo.keys()]) if (key.startsWith(prefix)) this.memo.delete(key);
    for (const key of [...this.recorders.keys()]) if (key.startsWith(prefix)) this.recorders.delete(key);
  }

  /** The caller's client provider for a region, made once. */
  private callerIn(region: string): ClientProvider | undefined {
    if (!this.options.callerClients) return undefined;
    let provider = this.callerProviders.get(region);
    if (!provider) {
      provider = this.options.callerClients(region);
      this.callerProviders.set(region, provider);
    }
    return provider;
  }

  private client(clients: ClientProvider, region: string): ConfigServiceClient {
    const client = clients.get(ConfigServiceClient, { region });
    if (this.options.motoShim) installMotoTimestampShim(client as unknown as Parameters<typeof installMotoTimestampShim>[0]);
    return client;
  }

  private regionItems(target: SourceTarget, region: string, resourceType: string): Promise<Items> {
    const key = `${target.account}|${region}|${resourceType}`;
    let pending = this.memo.get(key);
    if (!pending) {
      pending = this.readItems(target, region, resourceType).catch(() => undefined);
      this.memo.set(key, pending);
    }
    return pending;
  }

  private async readItems(target: SourceTarget, region: string, resourceType: string): Promise<Items> {
    if (this.options.source === 'auto') {
      const records = await this.recorderDecision(target, region);
      if (!records?.(resourceType)) return undefined;
    }
    const rule: AcceptRule = { resourceType, account: target.account, region: isGlobalType(resourceType) ? 'global' : region, runStart: this.options.runStart, maxAgeMs: this.options.maxAgeMs };
    const aggregator = this.options.aggregator;
    if (aggregator && (await this.covered(target.account, region))) {
      const items = await this.aggregateItems(resourceType, rule).catch(() => undefined);
      if (items) return items;
    }
    const client = this.client(target.clientsFor(region), region);
    const ids = await listResourceIds(client, resourceType);
    const { items } = await batchGetItems(client, resourceType, ids);
    return accepted(items, rule);
  }

  /** Items through the aggregator, read with the caller's credentials; exported behaviour is tested on moto. */
  async aggregateItems(resourceType: string, rule: AcceptRule): Promise<Items> {
    const aggregator = this.options.aggregator;
    const caller = aggregator && this.callerIn(aggregator.region);
    if (!aggregator || !caller) return undefined;
    const client = this.client(caller, aggregator.region);
    const scope = { aggregator: aggregator.name, account: rule.account, ...(rule.region === 'global' ? {} : { region: rule.region }) };
    const ids = await listAggregateIds(client, resourceType, scope);
    const items = accepted(await batchGetAggregateItems(client, aggregator.name, ids), rule);
    for (const item of items.values()) viaAggregator.set(item, aggregator.name);
    return items;
  }

  /** Whether the aggregator's last update of this account and region succeeded (unknown: not covered). */
  private async covered(account: string, region: string): Promise<boolean> {
    const aggregator = this.options.aggregator;
    const caller = aggregator && this.callerIn(aggregator.region);
    if (!aggregator || !caller) return false;
    this.coverage ??= readSourcesStatus(this.client(caller, aggregator.region), aggregator.name).catch(() => undefined);
    return sourceCovers((await this.coverage) ?? [], account, region);
  }

  private recorderDecision(target: SourceTarget, region: string): Promise<((type: string) => boolean) | undefined> {
    const key = `${target.account}|${region}`;
    let pending = this.recorders.get(key);
    if (!pending) {
      const client = this.client(target.clientsFor(region), region);
      pending = (async () => {
        const recorders = (await client.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
        const statuses = (await client.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [];
        return (type: string) => recordsContinuously(recorders, statuses, type);
      })().catch(() => undefined);
      this.recorders.set(key, pending);
    }
    return pending;
  }
}

/** Decoded items that pass the rule, by resourceId (a duplicate id keeps the latest capture). */
export function accepted(raw: readonly BaseConfigurationItem[], rule: AcceptRule): Map<string, ConfigItem> {
  const out = new Map<string, ConfigItem>();
  for (const r of raw) {
    const item = decodeItem(r);
    if (!item || rejectReason(item, rule)) continue;
    const seen = out.get(item.resourceId);
    if (!seen || seen.configurationItemCaptureTime < item.configurationItemCaptureTime) out.set(item.resourceId, item);
  }
  return out;
}

const MAX_STATUS_PAGES = 1000;

async function readSourcesStatus(client: ConfigServiceClient, aggregator: string): Promise<AggregatedSourceStatus[]> {
  const all: AggregatedSourceStatus[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_STATUS_PAGES; page++) {
    const out = await client.send(new DescribeConfigurationAggregatorSourcesStatusCommand({ ConfigurationAggregatorName: aggregator, Limit: 100, ...(NextToken ? { NextToken } : {}) }));
    all.push(...(out.AggregatedSourceStatusList ?? []));
    NextToken = out.NextToken || undefined;
    if (!NextToken) return all;
  }
  return all;
}

/** An account source naming the account, or an organization source, in that region, whose last update succeeded. */
export function sourceCovers(statuses: readonly AggregatedSourceStatus[], account: string, region: string): boolean {
  return statuses.some((s) => s.LastUpdateStatus === 'SUCCEEDED' && s.AwsRegion === region && (s.SourceType === 'ORGANIZATION' || s.SourceId === account));
}
