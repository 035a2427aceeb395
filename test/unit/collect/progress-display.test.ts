import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, ProgressState, RateMeter } from '../../../src/cli/progress.js';
import type { CollectionEvent } from '../../../src/collect/collect.js';

const ok = (account: string, calls = 3): CollectionEvent => ({ account, region: 'us-east-1', collector: 'kms.keys', status: 'ok', calls });

/** A stream that keeps what is written; `tty` makes it look like a terminal. */
function capture(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  Object.assign(stream, { isTTY: tty, columns: 200 });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('ETA from the recent completion rate', () => {
  it('divides the remaining runs by the rate of the last minute', () => {
    let now = 1_000_000;
    const meter = new RateMeter(() => now);
    expect(meter.eta(100)).toBeUndefined();
    // 2 runs a second for 10 seconds, 5 calls each.
    for (let s = 0; s < 10; s++) {
      meter.record(5);
      meter.record(5);
      now += 1000;
    }
    const rates = meter.rates();
    expect(rates.runsPerSecond).toBeCloseTo(20 / 11, 5);
    expect(rates.callsPerSecond).toBeCloseTo(100 / 11, 5);
    expect(meter.eta(0)).toBe(0);
    expect(meter.eta(20)).toBe(11);
  });

  it('follows a change of pace within the window instead of averaging the whole run', () => {
    let now = 0;
    const meter = new RateMeter(() => now, 60);
    // A fast start: 10 runs a second for two minutes ...
    for (let s = 0; s < 120; s++) {
      for (let i = 0; i < 10; i++) meter.record(1);
      now += 1000;
    }
    // ... then one run a second for a minute (a throttled, huge account).
    for (let s = 0; s < 60; s++) {
      meter.record(1);
      now += 1000;
    }
    // Whole-run average would be 1260 / 180 = 7/s and say 15 s for 100 runs; the last minute says about 100 s.
    expect(meter.eta(100)).toBeGreaterThanOrEqual(95);
    expect(meter.eta(100)).toBeLessThanOrEqual(105);
  });

  it('forgets everything after a minute of silence: no rate, no ETA', () => {
    let now = 0;
    const meter = new RateMeter(() => now);
    meter.record(1);
    now += 61_000;
    expect(meter.rates().runsPerSecond).toBe(0);
    expect(meter.eta(5)).toBeUndefined();
  });

  it('formats durations', () => {
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(750)).toBe('12m 30s');
    expect(formatDuration(3 * 3600 + 5 * 60 + 9)).toBe('3h 05m');
  });
});

describe('progress state', () => {
  it('counts runs, accounts, errors, refused scopes (once each) and the accounts under way', () => {
    let now = 0;
    const state = new ProgressState(() => now);
    state.begin(new Map([['a', 2], ['b', 3], ['c', 0]]));
    const refused: CollectionEvent = { account: 'b', region: 'eu-south-1', collector: 'x', status: 'error', refusal: 'region-not-enabled', calls: 1, error: 'not enabled' };
    expect(state.record(ok('a'))).toBe(false);
    expect(state.record(refused)).toBe(true);
    expect(state.record({ ...refused, collector: 'y' })).toBe(false);
    now += 1000;
    expect(state.inFlight()).toBe('a 1/2, b 2/3');
    state.record(ok('a'));
    expect(state.summary()).toBe('4/5 collector runs (80%) · 2/3 accounts · 4.0 calls/s · 2 errors · 1 refused scope · ETA 1s');
    expect(state.inFlight()).toBe('b 2/3');
  });
});

describe('progress display', () => {
  it('on a TTY draws one status block in place, whatever the number of accounts', async () => {
    const { stream, text } = capture(true);
    const progress = createProgress(stream, { redrawMs: 10 });
    const accounts = Array.from({ length: 1000 }, (_, i) => String(100000000000 + i));
    progress.begin(new Map(accounts.map((a) => [a, 4])));
    for (const a of accounts.slice(0, 50)) progress.onEvent(ok(a));
    await new Promise((r) => setTimeout(r, 30));
    await progress.end();
    await progress.end();
    const out = text();
    // Redraws move the cursor up over the previous block and clear it: the screen holds two lines, not 1,000.
    expect(out).toContain('\u001b[2A');
    const finalBlock = out.split('\u001b[0J').at(-1)!.trim().split('\n');
    expect(finalBlock).toHaveLength(2);
    expect(finalBlock[0]).toMatch(/^50\/4000 collector runs \(1%\) · 0\/1000 accounts · [\d.]+ calls\/s · 0 errors · 0 refused scopes · ETA /);
    expect(finalBlock[1]).toBe('in flight: 100000000000 1/4, 100000000001 1/4, 100000000002 1/4 and 47 more');
  });

  it('in a log prints one line per run, and a summary line every 30 s that the run lines cannot be mistaken for', async () => {
    const { stream, text } = capture(false);
    let now = 0;
    const progress = createProgress(stream, { now: () => now });
    progress.begin(new Map([['111111111111', 3], ['222222222222', 1]]));
    progress.onEvent(ok('111111111111'));
    now += 31_000;
    progress.onEvent(ok('222222222222', 7));
    progress.onEvent(ok('111111111111'));
    now += 31_000;
    progress.onEvent(ok('111111111111'));
    await progress.end();
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.filter((l) => /^\[\d+\/\d+\] /.test(l))).toHaveLength(4);
    expect(lines[2]).toMatch(/^progress: 2\/4 collector runs \(50%\) · 1\/2 accounts · [\d.]+ calls\/s · 0 errors · 0 refused scopes · ETA \d+/);
    // No summary after the last run: the run is over.
    expect(lines[4]).toBe('[4/4] 111111111111 us-east-1 kms.keys ok (3 calls)');
  });

  it('cannot be driven by a hostile AWS error message: no escapes, no extra lines, bounded', async () => {
    const { stream, text } = capture(false);
    const progress = createProgress(stream);
    progress.begin(new Map([['111111111111', 1]]));
    const hostile = `AccessDenied\u001b[2J\u001b]0;owned\u0007\n[2/1] 111111111111 us-east-1 fake ok (0 calls)\r${'x'.repeat(5000)}`;
    progress.onEvent({ account: '111111111111', region: 'us-east-1', collector: 'kms.keys', status: 'error', calls: 1, error: hostile });
    await progress.end();
    const out = text();
    // eslint-disable-next-line no-control-regex -- the attack is control characters
    expect(out.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(out.split('\n')).toHaveLength(2);
    expect(out.length).toBeLessThan(1200);
    expect(out).toMatch(/^\[1\/1\] 111111111111 us-east-1 kms\.keys ERROR AccessDenied\?\[2J\?\]0;owned\? \[2\/1\]/);
  });
});
