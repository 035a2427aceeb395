import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/core/fs.js';
import type { Figure } from './collect-evaluate.js';
import { runAuditpack, type ProcessCost } from './replay/cli-process.js';
import { REPLAY_SECRET, replaySessionToken } from './replay/organisation.js';
import { recordDemoAccount } from './replay/record.js';
import { readRecording, type Recording } from './replay/recording.js';
import { startReplay, type ReplayStats } from './replay/server.js';

/**
 * The scale benchmark: the built `auditpack run --organization` in a child process against the replay endpoint
 * (bench/replay/server.ts) for organisations of 1, 10, 100 and 1,000 accounts. Every account answers as the one
 * recorded demo account, with a fixed latency per call, so the figures are auditpack's own: wall time, calls per
 * second, CPU per call and peak memory. Any request the recording cannot answer fails the benchmark.
 */

export interface ScaleOptions {
  sizes: number[];
  latencyMs: number;
  /**
   * Regions audited. The recording must hold exactly these: which calls a collector makes depends on the scope
   * (an S3 bucket of an audited region is read from its AWS Config item, of another region live).
   */
  regions: string[];
  /** A recording to reuse (bench/replay/record.ts writes one); default: record into a temporary folder. */
  recording?: string;
  /** Where the JSON result goes. */
  json: string;
  /** Extra arguments for `auditpack run` (e.g. --concurrency 32). */
  extraArgs: string[];
  /** Per size, the child's time limit. */
  timeoutMs: number;
}

export interface SizeResult {
  accounts: number;
  exitCode: number | null;
  wallSeconds: number;
  calls: number;
  callsPerSecond: number;
  cpuMsPerCall: number;
  /** CPU per call beyond the first size's: (cpu - cpu₁) / (calls - calls₁), start-up and fixed costs left out. */
  marginalCpuMsPerCall: number | null;
  cpuSeconds: number;
  /** Process start to first API call, first to last call, last call to exit. */
  phases: { beforeFirstCallSeconds: number; callsSeconds: number; afterLastCallSeconds: number };
  peakRssMiB: number;
  peakCallsInFlight: number;
  /** Mean calls in flight between the first and the last call (each call's time in the endpoint, summed, over that window). */
  meanCallsInFlight: number;
  callsPerAccount: number;
  evidenceFiles: number;
  /** Ratios to the first size (normally 1 account). */
  wallRatio: number;
  rssRatio: number;
}

const DEFAULTS: ScaleOptions = {
  sizes: [1, 10, 100, 1000],
  latencyMs: 50,
  regions: ['us-east-1'],
  json: 'out/bench/scale.json',
  extraArgs: [],
  timeoutMs: 60 * 60_000,
};

const list = (v: string | undefined): string[] | undefined => v?.split(',').map((s) => s.trim()).filter(Boolean);

export function parseScaleArgs(argv: string[]): ScaleOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sizes: { type: 'string' },
      'latency-ms': { type: 'string' },
      regions: { type: 'string' },
      recording: { type: 'string' },
      json: { type: 'string' },
      'timeout-min': { type: 'string' },
    },
  });
  const sizes = list(values.sizes ?? process.env.BENCH_SCALE_SIZES)?.map(Number) ?? DEFAULTS.sizes;
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) throw new Error(`--sizes: whole numbers 1..100000, comma-separated (got ${values.sizes})`);
  const latencyMs = Number(values['latency-ms'] ?? process.env.BENCH_LATENCY_MS ?? DEFAULTS.latencyMs);
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 10_000) throw new Error(`--latency-ms: 0..10000 (got ${values['latency-ms']})`);
  const regions = [...new Set(list(values.regions) ?? DEFAULTS.regions)].sort();
  const timeoutMin = Number(values['timeout-min'] ?? 60);
  return {
    ...DEFAULTS,
    sizes,
    latencyMs,
    regions,
    ...(values.recording ? { recording: values.recording } : {}),
    json: values.json ?? DEFAULTS.json,
    extraArgs: positionals,
    timeoutMs: timeoutMin * 60_000,
  };
}

/** Dummy caller credentials: the replay server treats any key it did not hand out as the management account's. */
function replayEnv(endpoint: string): Record<string, string> {
  return { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'AKIAREPLAYBENCHCALLER', AWS_SECRET_ACCESS_KEY: 'replay-caller-secret-not-a-credential', AWS_SESSION_TOKEN: '', AWS_REGION: 'us-east-1', AWS_PROFILE: '' };
}

/** Files under dir, recursively (the pack written by one run). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The attack check: no replay credential (secret or session token) may appear in anything the run wrote. */
async function assertNoCredentials(files: string[], accounts: string[]): Promise<void> {
  const needles = [REPLAY_SECRET, 'replay-caller-secret', ...accounts.map(replaySessionToken)];
  for (const f of files) {
    const text = await readFile(f, 'latin1');
    const hit = needles.find((n) => text.includes(n));
    if (hit) throw new Error(`scale bench: ${f} contains the replay credential "${hit.slice(0, 30)}…": credentials must never be written`);
  }
}

async function measure(recording: Recording, accounts: number, options: ScaleOptions, log: (l: string) => void): Promise<{ cost: ProcessCost; stats: ReplayStats; evidenceFiles: number; motoGapsFilled: Record<string, number> }> {
  const replay = await startReplay(recording, { accounts, latencyMs: options.latencyMs });
  const out = await mkdtemp(join(tmpdir(), 'auditpack-scale-'));
  try {
    const args = ['run', '--organization', '--role-name', recording.header.roleName, '--regions', options.regions.join(','), '--out', out, '--no-report', '--fail-on', 'none', ...options.extraArgs];
    log(`  ${accounts} accounts: auditpack ${args.join(' ')}`);
    const cost = await runAuditpack(args, replayEnv(replay.endpoint), options.timeoutMs);
    const stats = replay.stats();
    // 0 = no failure; 3 = ERROR results, which the recording holds where moto lacks an API (see README).
    if (cost.code !== 0 && cost.code !== 3) throw new Error(`scale bench: auditpack run exited ${cost.code} at ${accounts} accounts\n${cost.stderrTail}`);
    if (stats.unknown > 0) throw new Error(`scale bench: ${stats.unknown} requests had no recorded answer at ${accounts} accounts (the benchmark would not measure real work):\n${stats.unknownSamples.join('\n')}`);
    if (stats.accountsSeen !== accounts) throw new Error(`scale bench: ${stats.accountsSeen} of ${accounts} accounts were asked anything`);
    const files = await filesUnder(out);
    const evidenceFiles = files.filter((f) => f.includes(`${join('evidence', '')}`)).length;
    if (accounts <= 10) await assertNoCredentials(files, replay.org.accounts);
    return { cost, stats, evidenceFiles, motoGapsFilled: replay.motoGapsFilled };
  } finally {
    await replay.close();
    await rm(out, { recursive: true, force: true });
  }
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

function table(results: SizeResult[]): string {
  const head = '| accounts | wall time | start → first call / calls / last call → exit | API calls | calls/s | CPU ms/call (marginal) | peak RSS | calls in flight: mean / peak | wall vs 1 | RSS vs 1 |';
  const rule = '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const rows = results.map(
    (r) =>
      `| ${r.accounts.toLocaleString('en-US')} | ${r.wallSeconds} s | ${r.phases.beforeFirstCallSeconds} / ${r.phases.callsSeconds} / ${r.phases.afterLastCallSeconds} s | ${r.calls.toLocaleString('en-US')} | ${r.callsPerSecond} | ${r.cpuMsPerCall}${r.marginalCpuMsPerCall === null ? '' : ` (${r.marginalCpuMsPerCall})`} | ${r.peakRssMiB} MiB | ${r.meanCallsInFlight} / ${r.peakCallsInFlight} | ${r.wallRatio}× | ${r.rssRatio}× |`,
  );
  return [head, rule, ...rows].join('\n');
}

/** Calls per account and region by operation, from a one-account run (identity and organisation calls left out). */
function callsByOperation(stats: ReplayStats, regions: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(stats.byOperation).sort(([, a], [, b]) => b - a)) if (!/^(sts|organizations) /.test(op)) out[op] = round(n / regions, 1);
  return out;
}

export async function benchScale(argv: string[] = []): Promise<Figure[]> {
  const options = parseScaleArgs(argv);
  const log = (l: string) => process.stderr.write(`${l}\n`);
  let recording: Recording;
  let tmp: string | undefined;
  if (options.recording) {
    recording = await readRecording(options.recording);
    if (recording.header.regions.join(',') !== options.regions.join(','))
      throw new Error(`--regions ${options.regions.join(',')}: the recording ${options.recording} holds ${recording.header.regions.join(',')} (fix: pass the same --regions, or record them)`);
  } else {
    tmp = await mkdtemp(join(tmpdir(), 'auditpack-recording-'));
    log(`recording one demo account against moto (${options.regions.join(', ')})...`);
    recording = (await recordDemoAccount({ regions: options.regions, file: join(tmp, 'recording.ndjson'), log })).recording;
  }
  try {
    const results: SizeResult[] = [];
    let perAccount: Record<string, number> = {};
    let gaps: Record<string, number> = {};
    for (const accounts of options.sizes) {
      const { cost, stats, evidenceFiles, motoGapsFilled } = await measure(recording, accounts, options, log);
      gaps = motoGapsFilled;
      const wallSeconds = cost.wallMs / 1000;
      const first = results[0];
      const result: SizeResult = {
        accounts,
        exitCode: cost.code,
        wallSeconds: round(wallSeconds, 1),
        calls: stats.requests,
        callsPerSecond: round(stats.requests / wallSeconds),
        cpuMsPerCall: round(cost.cpuMs / stats.requests, 2),
        marginalCpuMsPerCall: first && stats.requests > first.calls ? round((cost.cpuMs - first.cpuSeconds * 1000) / (stats.requests - first.calls), 2) : null,
        cpuSeconds: round(cost.cpuMs / 1000, 1),
        phases: {
          beforeFirstCallSeconds: round(((stats.firstRequestAt ?? cost.startedAt) - cost.startedAt) / 1000, 1),
          callsSeconds: round(((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000, 1),
          afterLastCallSeconds: round((cost.startedAt + cost.wallMs - (stats.lastRequestAt ?? cost.startedAt)) / 1000, 1),
        },
        peakRssMiB: round(cost.maxRssMiB),
        peakCallsInFlight: stats.peakInFlight,
        meanCallsInFlight: round(stats.busyMs / Math.max((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0), 1), 1),
        callsPerAccount: round(stats.requests / accounts, 1),
        evidenceFiles,
        wallRatio: first ? round(wallSeconds / (first.wallSeconds || 1), 1) : 1,
        rssRatio: first ? round(cost.maxRssMiB / (first.peakRssMiB || 1), 2) : 1,
      };
      if (results.length === 0) perAccount = callsByOperation(stats, options.regions.length);
      results.push(result);
      log(`  ${accounts} accounts: ${result.wallSeconds} s, ${result.calls} calls, ${result.callsPerSecond} calls/s, ${result.cpuMsPerCall} CPU ms/call, ${result.peakRssMiB} MiB peak RSS`);
    }
    const document = {
      benchmark: 'scale',
      note: 'auditpack run --organization --no-report against the replay endpoint; every account answers as the recorded demo account',
      latencyMsPerCall: options.latencyMs,
      regions: options.regions,
      extraArgs: options.extraArgs,
      recording: { account: recording.header.account, regions: recording.header.regions, exchanges: recording.exchanges.length, motoGapsFilled: gaps },
      machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version },
      callsPerAccountPerRegionByOperation: perAccount,
      results,
    };
    const json = resolve(options.json);
    await mkdir(dirname(json), { recursive: true });
    await writeFileAtomic(json, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`\n${table(results)}\n\n(latency ${options.latencyMs} ms a call; regions ${options.regions.join(', ')}; ${document.machine.cpus} CPUs, ${document.machine.memoryGiB} GiB; JSON: ${json})\n`);
    return results.flatMap((r) => [
      { name: `${r.accounts} accounts: wall time`, value: r.wallSeconds, unit: 's' },
      { name: `${r.accounts} accounts: API calls per second`, value: r.callsPerSecond, unit: 'calls/s' },
      { name: `${r.accounts} accounts: CPU per call`, value: r.cpuMsPerCall, unit: 'ms' },
      { name: `${r.accounts} accounts: peak RSS of the auditpack process`, value: r.peakRssMiB, unit: 'MiB' },
    ]);
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
