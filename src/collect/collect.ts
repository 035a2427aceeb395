import pLimit from 'p-limit';
import type { Collector, ClientProvider } from '../core/collector.js';
import type { EvidenceRecord, Refusal } from '../core/types.js';
import { evidencePath } from '../locker/layout.js';
import { writePackJson, type ManifestFile } from '../locker/pack.js';
import type { ConfigSources } from './config-source.js';
import { runCollector } from './run-collector.js';

export interface AccountTarget {
  account: string;
  /** Clients for a region of this account. */
  clientsFor(region: string): ClientProvider;
}

export interface CollectionEvent {
  account: string;
  region: string;
  collector: string;
  status: EvidenceRecord['status'];
  error?: string;
  /** Set when the whole service or region refused (reported once per scope, not per run). */
  refusal?: Refusal;
  calls: number;
}

export interface CollectionPlan {
  packDir: string;
  targets: AccountTarget[];
  regions: string[];
  /** Region for account-wide (global) APIs. */
  homeRegion: string;
  collectors: readonly Collector[];
  /** Collector runs in flight at once across the whole run. */
  concurrency: number;
  /** Evidence paths (taskPath) already in the pack and kept as they are: a resume runs only the rest of the plan. */
  skip?: ReadonlySet<string>;
  /** AWS Config as an evidence source (--source auto|config); absent: every collector reads live. */
  configSources?: ConfigSources;
  onEvent?: (event: CollectionEvent) => void;
}

export interface CollectionSummary {
  files: ManifestFile[];
  runs: number;
  errors: number;
  calls: number;
  resources: number;
}

export interface CollectionTask {
  target: AccountTarget;
  region: string;
  collector: Collector;
}

/** accounts × (account-scope collectors once, region-scope collectors per region), in a stable order. */
export function planTasks(plan: Pick<CollectionPlan, 'targets' | 'regions' | 'homeRegion' | 'collectors'>): CollectionTask[] {
  const tasks: CollectionTask[] = [];
  for (const target of plan.targets) {
    for (const collector of plan.collectors) {
      if (collector.scope === 'account') tasks.push({ target, region: plan.homeRegion, collector });
      else for (const region of plan.regions) tasks.push({ target, region, collector });
    }
  }
  return tasks;
}

/** The evidence file a task writes: evidence/<account>/<region, or global for account scope>/<collector>.json. */
export function taskPath(task: CollectionTask): string {
  return evidencePath(task.target.account, task.collector.scope === 'account' ? 'global' : task.region, task.collector.id);
}

/**
 * Runs every collector for every account and region with bounded concurrency (but the tasks whose evidence the
 * plan says to keep) and writes each evidence record into the locker as soon as it is complete. A failed collector
 * still writes its (error) record: nothing is dropped.
 */
export async function collectEvidence(plan: CollectionPlan): Promise<CollectionSummary> {
  const limit = pLimit(plan.concurrency);
  const summary: CollectionSummary = { files: [], runs: 0, errors: 0, calls: 0, resources: 0 };
  const tasks = planTasks(plan).filter((task) => !plan.skip?.has(taskPath(task)));
  await Promise.all(
    tasks.map(({ target, region, collector }) =>
      limit(async () => {
        const config = plan.configSources?.sourceFor(target, region, collector.scope);
        const record = await runCollector(collector, { account: target.account, region, homeRegion: plan.homeRegion, clients: target.clientsFor(region), ...(config ? { config } : {}) });
        const file = await writePackJson(plan.packDir, evidencePath(record.account, record.region, collector.id), record);
        summary.files.push(file);
        summary.runs++;
        summary.calls += record.calls.length;
        summary.resources += record.resources.length;
        if (record.status === 'error') summary.errors++;
        plan.onEvent?.({ account: record.account, region: record.region, collector: collector.id, status: record.status, error: record.error?.message, ...(record.error?.refusal ? { refusal: record.error.refusal } : {}), calls: record.calls.length });
      }),
    ),
  );
  summary.files.sort((a, b) => a.path.localeCompare(b.path));
  return summary;
}
