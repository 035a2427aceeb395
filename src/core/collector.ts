import type { ConfigItem, Resource } from './types.js';

/** `--source`: api never reads AWS Config; config reads it first; auto uses it where it records the type and is fresh. */
export const EVIDENCE_SOURCES = ['auto', 'api', 'config'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/**
 * AWS Config as an evidence source for one account and region (or the account, for global types). Only items
 * the freshness rules accept are returned: status OK or ResourceDiscovered, captured within --config-max-age, of
 * a type the recorder records (auto) or that Config lists (config), and of this very account (an aggregator's
 * item claiming another account is dropped). Everything else is the collector's to read live.
 */
export interface ConfigSource {
  /**
   * The run's --source: `config` asks collectors to prefer items even where they add calls; `auto` only where
   * they save calls (a collector whose live listing is one call stays live under auto).
   */
  readonly mode: 'auto' | 'config';
  /**
   * The items of `resourceType`, by resourceId; undefined when Config cannot serve that type here (source api, the
   * type is not recorded, the listing failed): then the collector collects live, as without Config.
   */
  items(resourceType: string, resourceIds?: readonly string[]): Promise<Map<string, ConfigItem> | undefined>;
}

/** Anything with an SDK v3 client's shape: constructed from a config, sends commands. */
export type ClientConstructor<C> = new (config: ClientConfig) => C;

export interface ClientConfig {
  region: string;
  [key: string]: unknown;
}

/** Hands out SDK v3 clients configured for one account and region (credentials, endpoint, retries, call log). */
export interface ClientProvider {
  get<C>(ctor: ClientConstructor<C>, options?: { region?: string }): C;
}

export interface CollectContext {
  account: string;
  /** The region to collect; for account-scope collectors the home region used for global APIs. */
  region: string;
  clients: ClientProvider;
  /** Per-resource calls (e.g. one per bucket) should run through this to stay within the concurrency budget. */
  map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]>;
  /** AWS Config items, when the run's --source allows them (absent: collect live). */
  config?: ConfigSource;
}

export interface CollectorOutput {
  /** API responses as returned (secrets redacted), keyed by a readable call label. */
  raw: Record<string, unknown>;
  /** Normalised resources the rules read. */
  resources: Resource[];
}

/**
 * JSON Schema (draft 2020-12) of one normalised resource a collector emits: the fields rules may read. Fixed shapes
 * say `additionalProperties: false`, so a misspelt field in a control's test fixture fails the catalog load.
 */
export type ResourceSchema = Record<string, unknown>;

export interface Collector {
  /** `<service>.<evidence>`, e.g. `iam.credential-report`. */
  id: string;
  /** Bumped whenever the normalised shape changes. */
  version: string;
  title: string;
  /** `account`: collected once per account (global services); `region`: once per account and region. */
  scope: 'account' | 'region';
  /** IAM actions the collector needs; their union is the auditor role's policy. */
  permissions: string[];
  /** The shape of every resource in `resources` (declared beside the collector; a unit test holds the two in step). */
  resourceSchema: ResourceSchema;
  collect(ctx: CollectContext): Promise<CollectorOutput>;
}

/** Helper for account-level resources: Security Hub names them `AWS::::Account:<id>`. */
export function accountResourceId(account: string): string {
  return `AWS::::Account:${account}`;
}

/**
 * Many "not configured" answers come back as errors (NoSuchBucketPolicy, ...). A collector treats the listed
 * codes as "absent" and lets every other error propagate, so it becomes an ERROR record (fail closed).
 */
export async function absentOn<T>(codes: readonly string[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    const name = (err as { name?: string; Code?: string }).name ?? '';
    const code = (err as { Code?: string }).Code ?? '';
    if (codes.includes(name) || codes.includes(code)) return undefined;
    throw err;
  }
}

/** Drain an SDK v3 paginator into one array. */
export async function collectPages<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<{ items: T[]; pages: P[] }> {
  const items: T[] = [];
  const all: P[] = [];
  for await (const page of pages) {
    all.push(page);
    items.push(...(pick(page) ?? []));
  }
  return { items, pages: all };
}

/** Strip SDK response metadata so raw evidence holds only what the API returned. */
export function stripMetadata<T extends object>(response: T): Omit<T, '$metadata'> {
  const { $metadata: _m, ...rest } = response as T & { $metadata?: unknown };
  return rest;
}
