import type { Collector, ClientProvider } from '../core/collector.js';
import type { EvidenceRecord, Refusal } from '../core/types.js';
import { evidencePath } from '../locker/layout.js';
import { writePackJson, type ManifestFile } from '../locker/pack.js';
import { CallBudget, type CallBudgetStats } from './call-budget.js';
import type { ConfigSources } from './config-source.js';
import { schedulerLimits, type SchedulerLimits } from './machine.js';
import { runCollector } from './run-collector.js';
import { schedule, type TaskGroup } from './scheduler.js';

/** An account's clients while it is in the scheduler's window. */
export interface AccountSession {
  clientsFor(region: string): ClientProvider;
  /** Ends the clients (client.destroy()) and forgets the account's call-budget state. */
  destroy(): void;
}

export interface AccountTarget {
  account: string;
  /** Clients for a region of this account, outside the scheduler (scope discovery, Config's caller clients). */
  clientsFor(region: string): ClientProvider;
  /**
   * Builds the account's credentials and clients on the collection's call budget when the account enters the
   * window (see aws-access.ts accountTarget); absent: the collection uses `clientsFor` and destroys nothing.
   */
  open?(budget: CallBudget): AccountSession;
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
  /** Collector runs in flight at once across the whole run (--concurrency); default: see machine.ts. */
  concurrency?: number;
  /** API call attempts on the wire at once, machine-wide (--max-calls); default sized from the machine (machine.ts). */
  maxCalls?: number;
  /** Accounts open at once; default from the runs in flight (machine.ts). */
  window?: number;
  /** Calls in flight per account × region × service (default 5). */
  callsPerKey?: number;
  /** The call budget to use (tests observe it); default: one built from the limits above. */
  budget?: CallBudget;
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
  /** The limits the collection ran with. */
  limits: SchedulerLimits;
  /** What the call budget saw (peaks, throttles). */
  budget: CallBudgetStats;
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

/** One account's tasks (the plan's, but those whose evidence is kept), built when the scheduler reaches it. */
function* accountGroups(plan: CollectionPlan): Generator<TaskGroup<CollectionTask>> {
  for (const target of plan.targets) {
    const tasks = planTasks({ ...plan, targets: [target] }).filter((task) => !plan.skip?.has(taskPath(task)));
    yield { key: target.account, tasks };
  }
}

/**
 * Runs every collector for every account and region (but the tasks whose evidence the plan says to keep) through
 * the scheduler (scheduler.ts: a window of open accounts, runs dealt round-robin between them) on one call budget
 * (call-budget.ts: attempts on the wire machine-wide, fair between accounts; calls per account × region × service),
 * and writes each evidence record into the locker as soon as it is complete. A failed collector still writes its
 * (error) record: nothing is dropped. Only a small summary of each run stays in memory.
 */
export async function collectEvidence(plan: CollectionPlan): Promise<CollectionSummary> {
  const limits = schedulerLimits({ maxCalls: plan.maxCalls ?? plan.budget?.options.maxCalls, concurrency: plan.concurrency, window: plan.window });
  const budget = plan.budget ?? new CallBudget({ maxCalls: limits.maxCalls, perKey: plan.callsPerKey ?? 5 });
  const files: ManifestFile[] = [];
  const summary = { runs: 0, errors: 0, calls: 0, resources: 0 };
  await schedule(accountGroups(plan), {
    runs: limits.runs,
    window: limits.window,
    // Every task of a group is of the same target (never empty: the scheduler skips empty groups).
    open: (group): AccountSession => {
      const { target } = group.tasks[0]!;
      return target.open?.(budget) ?? { clientsFor: (region) => target.clientsFor(region), destroy: () => {} };
    },
    close: (session, group) => {
      session.destroy();
      plan.configSources?.forget(group.key);
    },
    run: async ({ target, region, collector }, session) => {
      const clients = session.clientsFor(region);
      const config = plan.configSources?.sourceFor({ account: target.account, clientsFor: (r) => session.clientsFor(r) }, region, collector.scope);
      const record = await runCollector(collector, { account: target.account, region, homeRegion: plan.homeRegion, clients, ...(config ? { config } : {}) });
      files.push(await writePackJson(plan.packDir, evidencePath(record.account, record.region, collector.id), record));
      summary.runs++;
      summary.calls += record.calls.length;
      summary.resources += record.resources.length;
      if (record.status === 'error') summary.errors++;
      plan.onEvent?.({ account: record.account, region: record.region, collector: collector.id, status: record.status, error: record.error?.message, ...(record.error?.refusal ? { refusal: record.error.refusal } : {}), calls: record.calls.length });
    },
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, ...summary, limits, budget: budget.stats() };
}
