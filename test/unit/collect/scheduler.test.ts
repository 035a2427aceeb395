import { describe, expect, it } from 'vitest';
import { schedule, type TaskGroup } from '../../../src/collect/scheduler.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function groups(sizes: Record<string, number>): TaskGroup<number>[] {
  return Object.entries(sizes).map(([key, n]) => ({ key, tasks: Array.from({ length: n }, (_, i) => i) }));
}

describe('scheduler: window of accounts, runs dealt round-robin', () => {
  it('lets small accounts finish early next to one with 50 times their tasks, even when the big one comes first', async () => {
    const finished: string[] = [];
    const done = new Map<string, number>();
    const lastAt = new Map<string, number>();
    const sizes = { huge: 250, small1: 5, small2: 5 };
    await schedule(groups(sizes), {
      runs: 4,
      window: 3,
      open: () => undefined,
      close: () => undefined,
      run: async (_task, _s, group) => {
        await sleep(1);
        finished.push(group.key);
        done.set(group.key, (done.get(group.key) ?? 0) + 1);
        if (done.get(group.key) === sizes[group.key as keyof typeof sizes]) lastAt.set(group.key, finished.length);
      },
    });
    expect(finished).toHaveLength(260);
    // A FIFO queue would run the 250 tasks of `huge` first; dealt in turn, each small account gets a third of the
    // runs while it has work, so both are done within the first 20 completions.
    expect(lastAt.get('small1')).toBeLessThanOrEqual(20);
    expect(lastAt.get('small2')).toBeLessThanOrEqual(20);
    expect(lastAt.get('huge')).toBe(260);
  });

  it('never runs more than `runs` tasks, fills them, and never opens more than `window` accounts but to fill slots', async () => {
    let overfull = false;
    const pending = new Map<string, number>();
    let running = 0;
    let peakRunning = 0;
    let opened = 0;
    let peakOpen = 0;
    const events: string[] = [];
    const sizes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a${String(i).padStart(2, '0')}`, 1 + (i % 4) * 3]));
    const remaining = new Map(Object.entries(sizes));
    await schedule(groups(sizes), {
      runs: 5,
      window: 3,
      open: (group) => {
        // Beyond the window only when no open account has a task waiting to start.
        if (opened >= 3 && [...pending.values()].some((n) => n > 0)) overfull = true;
        pending.set(group.key, group.tasks.length);
        opened++;
        peakOpen = Math.max(peakOpen, opened);
        events.push(`open ${group.key}`);
        return { key: group.key, destroyed: false };
      },
      close: (session, group) => {
        // Closed only once its last task finished, and exactly once.
        expect(remaining.get(group.key)).toBe(0);
        expect(session.destroyed).toBe(false);
        session.destroyed = true;
        opened--;
        events.push(`close ${group.key}`);
      },
      run: async (_task, session, group) => {
        expect(session.destroyed).toBe(false);
        pending.set(group.key, pending.get(group.key)! - 1);
        running++;
        peakRunning = Math.max(peakRunning, running);
        await sleep(1 + (group.tasks.length % 3));
        running--;
        remaining.set(group.key, remaining.get(group.key)! - 1);
      },
    });
    expect(peakRunning).toBe(5);
    // The window, and up to as many again only while the open accounts have all their tasks under way.
    expect(peakOpen).toBeGreaterThanOrEqual(3);
    expect(peakOpen).toBeLessThanOrEqual(6);
    expect(overfull).toBe(false);
    expect(opened).toBe(0);
    expect(events.filter((e) => e.startsWith('open'))).toHaveLength(20);
    expect(events.filter((e) => e.startsWith('close'))).toHaveLength(20);
    // Accounts enter in the order given.
    expect(events.filter((e) => e.startsWith('open')).map((e) => e.slice(5))).toEqual(Object.keys(sizes));
  });

  it('pulls accounts lazily: a 100,000-account iterable is read only as far as the window reaches', async () => {
    let pulled = 0;
    function* many(): Generator<TaskGroup<number>> {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield { key: `a${i}`, tasks: [0] };
      }
    }
    let seen = 0;
    const stop = new Error('stop');
    await expect(
      schedule(many(), {
        runs: 2,
        window: 4,
        open: () => undefined,
        close: () => undefined,
        run: async () => {
          await sleep(0);
          if (++seen === 10) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(pulled).toBeLessThan(20);
  });

  it('opens the next account while the window\'s last task runs, so run slots do not idle', async () => {
    let running = 0;
    let peak = 0;
    await schedule(groups({ slow: 1, next: 4 }), {
      runs: 2,
      window: 1,
      open: () => undefined,
      close: () => undefined,
      run: async (_t, _s, g) => {
        peak = Math.max(peak, ++running);
        await sleep(g.key === 'slow' ? 30 : 1);
        running--;
      },
    });
    expect(peak).toBe(2);
  });

  it('skips accounts with nothing to do without opening them', async () => {
    const opened: string[] = [];
    await schedule(groups({ a: 0, b: 2, c: 0 }), { runs: 2, window: 1, open: (g) => opened.push(g.key), close: () => undefined, run: async () => {} });
    expect(opened).toEqual(['b']);
  });

  it('on a failed task starts nothing new, closes every open account once its running tasks settle, and throws', async () => {
    const closed: string[] = [];
    let started = 0;
    let settledAfterClose = false;
    const boom = new Error('disk full');
    const failing = schedule(groups({ a: 10, b: 10, c: 10 }), {
      runs: 3,
      window: 3,
      open: () => undefined,
      close: (_s, g) => closed.push(g.key),
      run: async (task, _s, g) => {
        started++;
        if (g.key === 'b' && task === 1) throw boom;
        await sleep(5);
        if (closed.length) settledAfterClose = true;
      },
    });
    await expect(failing).rejects.toBe(boom);
    expect(started).toBeLessThan(30);
    expect(closed.sort()).toEqual(['a', 'b', 'c']);
    expect(settledAfterClose).toBe(false);
  });

  it('refuses limits below one', () => {
    expect(() => schedule([], { runs: 0, window: 1, open: () => 0, close: () => 0, run: async () => {} })).toThrow(RangeError);
  });
});
