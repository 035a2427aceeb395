import pLimit from 'p-limit';
import type { Collector, ClientProvider, ConfigSource } from '../core/collector.js';
import type { ApiCall, EvidenceRecord } from '../core/types.js';
import { callLogStore } from './call-log.js';
import { describeFailure } from './failure.js';
import { redactSecrets } from './redact.js';

export interface CollectorTarget {
  account: string;
  /** Region to collect; account-scope collectors get their home region here. */
  region: string;
  /** The run's home region, where the credentials were already accepted: lets a failure name a region not enabled. */
  homeRegion?: string;
  clients: ClientProvider;
  /** AWS Config items for this account and region (absent with --source api). */
  config?: ConfigSource;
  /** Concurrency for a collector's per-resource calls. */
  perResourceConcurrency?: number;
  /** Clock, injectable for deterministic tests. */
  now?: () => Date;
}

/**
 * Runs one collector for one account and region and returns its evidence record. Never throws for an AWS
 * failure: the failure becomes an `error` record (fail closed), and every call made is kept.
 */
export async function runCollector(collector: Collector, target: CollectorTarget): Promise<EvidenceRecord> {
  const calls: ApiCall[] = [];
  const now = target.now ?? (() => new Date());
  const collectedAt = now().toISOString();
  const limit = pLimit(target.perResourceConcurrency ?? 8);
  const base = {
    schemaVersion: '1' as const,
    collector: { id: collector.id, version: collector.version },
    account: target.account,
    region: collector.scope === 'account' ? 'global' : target.region,
    collectedAt,
    calls,
  };
  try {
    const output = await callLogStore.run(calls, () =>
      collector.collect({
        account: target.account,
        region: target.region,
        clients: target.clients,
        map: (items, fn) => Promise.all(items.map((item) => limit(() => fn(item)))),
        ...(target.config ? { config: target.config } : {}),
      }),
    );
    return { ...base, status: 'ok', resources: redactSecrets(output.resources), raw: redactSecrets(output.raw) };
  } catch (err) {
    return { ...base, status: 'error', error: describeFailure(err, calls, { region: base.region, homeRegion: target.homeRegion }), resources: [], raw: {} };
  }
}
