import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallBudget } from '../../../src/collect/call-budget.js';
import { AccountClients } from '../../../src/collect/clients.js';
import { collectEvidence, planTasks, taskPath, type AccountTarget } from '../../../src/collect/collect.js';
import { defaultMaxCalls, schedulerLimits, MAX_CALLS, MIN_CALLS } from '../../../src/collect/machine.js';
import type { Collector, ClientProvider, CollectContext } from '../../../src/core/collector.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A collector that answers from its arguments after a short, varying wait (no AWS). */
function fakeCollector(id: string, scope: 'account' | 'region', delay: (account: string, region: string) => number): Collector {
  return {
    id,
    version: '1',
    title: id,
    scope,
    permissions: [],
    resourceSchema: {},
    collect: async (ctx: CollectContext) => {
      ctx.clients.get(FakeClient);
      await sleep(delay(ctx.account, ctx.region));
      return { raw: { where: `${ctx.account}/${ctx.region}` }, resources: [{ id: `${id}:${ctx.account}:${ctx.region}`, type: 'Fake', name: id, account: ctx.account, region: ctx.region }] };
    },
  } as unknown as Collector;
}

class FakeClient {
  destroyed = false;
  readonly middlewareStack = { add: () => {} };
  constructor(readonly config: { region: string }) {}
  destroy(): void {
    this.destroyed = true;
  }
}

const ACCOUNTS = Array.from({ length: 12 }, (_, i) => String(100000000000 + i * 1111));
const REGIONS = ['eu-west-1', 'us-east-1'];
const COLLECTORS = [
  fakeCollector('fake.global', 'account', () => 1),
  fakeCollector('fake.regional', 'region', (a, r) => (Number(a.slice(-2)) + r.length) % 4),
  fakeCollector('fake.other', 'region', () => 2),
];

/** Targets that record when they are opened and destroyed, and whose sessions refuse use once destroyed. */
function recordingTargets(log: string[], budgets: CallBudget[]): AccountTarget[] {
  return ACCOUNTS.map((account) => ({
    account,
    clientsFor: () => {
      throw new Error('the scheduler must use the session, not the target\'s own clients');
    },
    open: (budget) => {
      budgets.push(budget);
      log.push(`open ${account}`);
      let destroyed = false;
      const provider: ClientProvider = {
        get: <C,>(ctor: new (c: { region: string }) => C) => {
          if (destroyed) throw new Error(`${account}: used after destroy`);
          return new ctor({ region: 'x' });
        },
      } as ClientProvider;
      return {
        clientsFor: () => provider,
        destroy: () => {
          expect(destroyed).toBe(false);
          destroyed = true;
          log.push(`destroy ${account}`);
        },
      };
    },
  }));
}

async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) out.set(relative(dir, join(entry.parentPath, entry.name)), await readFile(join(entry.parentPath, entry.name)));
  return out;
}

describe('collectEvidence on the scheduler (fake collectors, no AWS)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'auditpack-scheduler-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens at most 2 × `window` accounts, destroys each after its last run, and shares one budget', async () => {
    // One timeline: opens, evidence events and destroys, in the order they happened.
    const log: string[] = [];
    const budgets: CallBudget[] = [];
    let open = 0;
    let peakOpen = 0;
    const targets = recordingTargets(log, budgets).map((t) => ({
      ...t,
      open: (b: CallBudget) => {
        peakOpen = Math.max(peakOpen, ++open);
        const s = t.open!(b);
        return { ...s, destroy: () => (open--, s.destroy()) };
      },
    }));
    const summary = await collectEvidence({ packDir: join(root, 'window'), targets, regions: REGIONS, homeRegion: 'us-east-1', collectors: COLLECTORS, concurrency: 6, window: 3, maxCalls: 10, onEvent: (e) => log.push(`event ${e.account}`) });
    const perAccount = 1 + 2 * REGIONS.length;
    expect(summary.runs).toBe(ACCOUNTS.length * perAccount);
    expect(summary.files).toHaveLength(ACCOUNTS.length * perAccount);
    expect(summary.limits).toEqual({ maxCalls: 10, runs: 6, window: 3 });
    expect(peakOpen).toBeGreaterThanOrEqual(3);
    expect(peakOpen).toBeLessThanOrEqual(6);
    expect(open).toBe(0);
    expect(new Set(budgets).size).toBe(1);
    expect(budgets[0]!.options.maxCalls).toBe(10);
    for (const account of ACCOUNTS) {
      expect(log.filter((l) => l === `open ${account}`)).toHaveLength(1);
      expect(log.filter((l) => l === `destroy ${account}`)).toHaveLength(1);
      expect(log.filter((l) => l === `event ${account}`)).toHaveLength(perAccount);
      // Opened before its first run, destroyed after its last.
      expect(log.indexOf(`open ${account}`)).toBeLessThan(log.indexOf(`event ${account}`));
      expect(log.indexOf(`destroy ${account}`)).toBeGreaterThan(log.lastIndexOf(`event ${account}`));
    }
    // Accounts overlapped and were dealt in turn: the first evidence written is of several accounts, not all of the
    // first account's runs before any of the next's.
    const firstThree = log.filter((l) => l.startsWith('event')).slice(0, 6);
    expect(new Set(firstThree).size).toBeGreaterThanOrEqual(2);
  });

  it('writes byte-identical evidence whatever the schedule, and a resume skips exactly the kept paths', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.000Z'));
    const serial = await collectEvidence({ packDir: join(root, 'serial'), targets: recordingTargets([], []), regions: REGIONS, homeRegion: 'us-east-1', collectors: COLLECTORS, concurrency: 1, window: 1 });
    const wide = await collectEvidence({ packDir: join(root, 'wide'), targets: recordingTargets([], []), regions: [...REGIONS].reverse(), homeRegion: 'us-east-1', collectors: [...COLLECTORS].reverse(), concurrency: 16, window: 8, maxCalls: 4 });
    expect(wide.files).toEqual(serial.files);
    const a = await tree(join(root, 'serial'));
    const b = await tree(join(root, 'wide'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);

    const plan = { targets: recordingTargets([], []), regions: REGIONS, homeRegion: 'us-east-1', collectors: COLLECTORS };
    const all = planTasks(plan).map(taskPath);
    const skip = new Set(all.filter((_, i) => i % 3 !== 0));
    const events: string[] = [];
    const resumed = await collectEvidence({ ...plan, packDir: join(root, 'resume'), skip, onEvent: (e) => events.push(`${e.account}/${e.region}/${e.collector}`) });
    expect(resumed.files.map((f) => f.path)).toEqual(all.filter((p) => !skip.has(p)).sort());
    expect(events).toHaveLength(all.length - skip.size);
  });

  it('keeps no account\'s session after a failed write, and reports the failure', async () => {
    const log: string[] = [];
    // The pack folder is a file: every evidence write fails.
    const packDir = join(root, 'not-a-folder');
    await writeFile(packDir, 'x');
    await expect(collectEvidence({ packDir, targets: recordingTargets(log, []), regions: REGIONS, homeRegion: 'us-east-1', collectors: COLLECTORS, concurrency: 2, window: 2 })).rejects.toThrow();
    const opened = log.filter((l) => l.startsWith('open'));
    expect(opened.length).toBeGreaterThan(0);
    // Nothing new starts after the failure: far fewer than the 12 accounts were opened, and each was destroyed.
    expect(opened.length).toBeLessThanOrEqual(4);
    expect(log.filter((l) => l.startsWith('destroy'))).toHaveLength(opened.length);
  });
});

describe('AccountClients.destroy', () => {
  it('destroys every client it built and builds new ones afterwards', () => {
    const clients = new AccountClients('111111111111', { maxAttempts: 1, callsPerService: 2, endpoint: 'http://127.0.0.1:9' });
    const a = clients.forRegion('us-east-1').get(FakeClient);
    const b = clients.forRegion('eu-west-1').get(FakeClient);
    expect(clients.forRegion('us-east-1').get(FakeClient)).toBe(a);
    clients.destroy();
    expect(a.destroyed && b.destroyed).toBe(true);
    const c = clients.forRegion('us-east-1').get(FakeClient);
    expect(c).not.toBe(a);
    expect(c.destroyed).toBe(false);
  });
});

describe('machine sizing', () => {
  const GiB = 1024 ** 3;
  it('is 64 calls per CPU, bounded by a quarter of free memory at 2 MiB a call, within [8, 1024]', () => {
    expect(defaultMaxCalls({ parallelism: 2, freeMemoryBytes: 16 * GiB })).toBe(128);
    expect(defaultMaxCalls({ parallelism: 64, freeMemoryBytes: 64 * GiB })).toBe(MAX_CALLS);
    // 512 MiB free: a quarter is 128 MiB, 64 calls of 2 MiB.
    expect(defaultMaxCalls({ parallelism: 8, freeMemoryBytes: 0.5 * GiB })).toBe(64);
    expect(defaultMaxCalls({ parallelism: 1, freeMemoryBytes: 1024 })).toBe(MIN_CALLS);
  });

  it('sizes runs from the call budget and the window from the runs; explicit values win', () => {
    const facts = { parallelism: 2, freeMemoryBytes: 16 * GiB };
    expect(schedulerLimits({}, facts)).toEqual({ maxCalls: 128, runs: 128, window: 16 });
    expect(schedulerLimits({ maxCalls: 40 }, facts)).toEqual({ maxCalls: 40, runs: 40, window: 5 });
    // Up to 8 runs, one account at a time (in the plan's order).
    expect(schedulerLimits({ concurrency: 1 }, facts)).toEqual({ maxCalls: 128, runs: 1, window: 1 });
    expect(schedulerLimits({ concurrency: 8 }, facts).window).toBe(1);
    expect(schedulerLimits({ maxCalls: 1024, concurrency: 4096 }, facts).window).toBe(32);
    expect(schedulerLimits({ concurrency: 3, window: 1 }, facts)).toEqual({ maxCalls: 128, runs: 3, window: 1 });
  });
});
