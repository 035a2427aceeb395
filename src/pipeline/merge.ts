import { mkdir, rename, rm, lstat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectors as allCollectors } from '../../collectors/index.js';
import { loadCatalog, DEFAULT_CONTROLS_DIR, type Catalog } from '../catalog/load.js';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { canonicalJson } from '../core/json.js';
import { LIMITS } from '../core/safe-fs.js';
import { OSCAL_FILE } from '../export/oscal/assessment-results.js';
import { RESULTS_FILE, WAIVERS_FILE } from '../locker/layout.js';
import { MANIFEST, PackError, manifestMeta, writeManifest, writePackJson, type Manifest } from '../locker/pack.js';
import { RUN_FILE, type MergedShard, type RunRecord, type ShardRecord } from '../locker/run-info.js';
import type { ResultsDocument } from '../results/types.js';
import { openVerifiedPack, type PackTrust, type VerifiedPack } from '../verify/open-pack.js';
import { ATTESTATIONS_DIR } from '../workflow/attestations.js';
import { assessPack } from './assess.js';
import { newRunId } from './collect.js';
import { MAX_SHARDS, partition } from './shard.js';

/**
 * `auditpack merge`: N shard packs (`run --shard I/N`) into one pack of the whole population, whose assessment
 * equals a single-process run's. Every shard is verified first (pinned key when given), then the set is checked:
 * each shard once, none missing, each holding exactly its partition's evidence, and everything that decides the
 * verdicts identical (population, scheme, regions, collectors, controls, catalog, evidence source, tool, waivers,
 * attestations) with starts within a window. Only then is a new pack built (in a hidden staging folder, renamed
 * into place once sealed, assessed and signed, so a half-merged pack never carries a final name).
 */

export interface MergeOptions {
  /** The shard packs (local folders), in any order. */
  packs: string[];
  /** What to call each pack in messages (the location as the user gave it); default the folder. */
  labels?: string[];
  /** Parent folder of the merged pack: <out>/<run id>/. */
  out: string;
  /** The key every shard must be signed by (--public-key / --fingerprint). */
  trust?: PackTrust;
  /** Shards must start within this many seconds of each other (default 24 h). */
  maxSpreadSeconds?: number;
  controlsDir?: string;
  catalog?: Catalog;
  runId?: string;
  /** Runs on the sealed, assessed pack before it gets its final name (rendering and signing the reports). */
  beforePublish?: (packDir: string) => Promise<void>;
}

export interface MergeOutcome {
  packDir: string;
  run: RunRecord;
  results: ResultsDocument;
  warnings: string[];
}

interface ShardPack {
  label: string;
  pack: VerifiedPack;
  run: RunRecord & { shard: ShardRecord };
}

export const DEFAULT_MAX_SPREAD_SECONDS = 86_400;

/** Files a shard pack may hold besides its evidence: its run record, its assessment, the workflow inputs. */
const SHARD_RECORDS = new Set([RUN_FILE, RESULTS_FILE, 'results.csv', OSCAL_FILE, WAIVERS_FILE]);

function inconsistent(label: string, field: string, problem: string, fix: string): UserError {
  return new UserError(`${label}: field "${field}": ${problem} (fix: ${fix})`, 2);
}

async function openShard(dir: string, label: string, trust: PackTrust): Promise<ShardPack> {
  const pack = await openVerifiedPack(dir, { purpose: 'merge', ...trust });
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  if (!run.shard) throw inconsistent(label, 'run.json shard', 'missing: this pack is not a shard', 'pass packs made by `auditpack run --shard I/N`');
  if (run.merged) throw inconsistent(label, 'run.json merged', 'this pack is itself a merge', 'merge the shard packs, not merged ones');
  return { label, pack, run: run as RunRecord & { shard: ShardRecord } };
}

/** What must be identical in every shard, as canonical JSON by field name (manifest-level facts included). */
function sharedFacts(s: ShardPack): [string, string, string][] {
  const { run, pack } = s;
  const fix = 'run every shard with the same command line and auditpack version, then merge';
  const listed = (prefix: string): { path: string; sha256: string }[] =>
    pack.manifest.files.filter((f) => f.path === prefix || f.path.startsWith(`${prefix}/`)).map((f) => ({ path: f.path, sha256: f.sha256 }));
  return [
    ['shard.count', canonicalJson(run.shard.count), fix],
    ['shard.scheme', canonicalJson(run.shard.scheme), fix],
    ['shard.population', canonicalJson(run.shard.population), 'the organisation changed between shards: run every shard again'],
    ['regions', canonicalJson(run.regions), fix],
    ['homeRegion', canonicalJson(run.homeRegion), fix],
    ['collectors', canonicalJson(run.collectors), fix],
    ['controlIds', canonicalJson(run.controlIds ?? null), fix],
    ['evidenceSource', canonicalJson(run.evidenceSource ?? null), fix],
    ['tool.version', canonicalJson([run.tool.version, pack.manifest.tool.version]), fix],
    ['signer', canonicalJson(pack.signerFingerprint ?? null), 'sign every shard with the same key (or none)'],
    ['catalog.digest', canonicalJson(pack.manifest.catalog?.digest ?? null), 'assess every shard with the same catalog (or none), then merge'],
    [WAIVERS_FILE, canonicalJson(listed(WAIVERS_FILE)), 'give every shard the same --waivers file'],
    [ATTESTATIONS_DIR, canonicalJson(listed(ATTESTATIONS_DIR)), 'give every shard the same --attestations store'],
  ];
}

/** Each shard index once, none missing, every shared fact identical, starts within the window. */
function checkSet(shards: ShardPack[], maxSpreadSeconds: number): void {
  const first = shards[0];
  if (!first) throw new UserError('merge: no shard packs given (fix: pass the packs of every shard)', 2);
  const count = first.run.shard.count;
  const reference = new Map(sharedFacts(first).map(([field, value]) => [field, value] as const));
  for (const s of shards.slice(1)) {
    for (const [field, value, fix] of sharedFacts(s))
      if (reference.get(field) !== value) throw inconsistent(s.label, field, `differs from ${first.label}'s`, fix);
  }
  const byIndex = new Map<number, ShardPack>();
  for (const s of shards) {
    const other = byIndex.get(s.run.shard.index);
    if (other) throw inconsistent(s.label, 'shard.index', `shard ${s.run.shard.index}/${count} is given twice (also ${other.label})`, 'pass each shard\'s pack once');
    byIndex.set(s.run.shard.index, s);
  }
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) throw new UserError(`merge: shard ${i}/${count} is missing (${shards.length} of ${count} given) (fix: pass the pack of every shard, 1 to ${count})`, 2);
  const starts = shards.map((s) => ({ s, at: Date.parse(s.run.startedAt) })).sort((a, b) => a.at - b.at);
  const earliest = starts[0];
  const latest = starts[starts.length - 1];
  if (earliest && latest && latest.at - earliest.at > maxSpreadSeconds * 1000)
    throw inconsistent(latest.s.label, 'startedAt', `${latest.s.run.startedAt} is more than ${maxSpreadSeconds} s after ${earliest.s.label}'s ${earliest.s.run.startedAt}: not one audit period`, 'run the shards again together, or widen --max-spread');
}

/**
 * Each shard audited exactly its partition and holds nothing but its records and its partition's evidence
 * (evidence/<account>/<region|global>/<collector>.json of its run's scope); an account in two shards is refused.
 */
function checkPartition(shards: ShardPack[]): Map<string, string> {
  const owner = new Map<string, string>();
  for (const { run, label } of shards) {
    for (const account of run.accounts) {
      const other = owner.get(account);
      if (other) throw new PackError(`${label}: field "accounts": account ${account} is also in ${other}: shards overlap (fix: pass packs of one sharded run)`);
      owner.set(account, label);
    }
  }
  // Every shard has the same population and count (checkSet): the partition is computed once.
  const parts = partition(shards[0]?.run.shard.population ?? [], shards[0]?.run.shard.count ?? 1);
  for (const s of shards) {
    const { run, label } = s;
    const expected = parts[run.shard.index - 1] ?? [];
    if (canonicalJson([...run.accounts].sort()) !== canonicalJson(expected))
      throw new PackError(`${label}: field "accounts": not shard ${run.shard.index}/${run.shard.count} of its population (${run.accounts.length} accounts, the partition has ${expected.length}) (fix: collect the shard again)`);
    const accounts = new Set(run.accounts);
    const scopes = new Map(run.collectors.map((c) => [c.id, c.scope] as const));
    const regions = new Set(run.regions);
    for (const f of s.pack.manifest.files) {
      if (SHARD_RECORDS.has(f.path) || f.path.startsWith(`${ATTESTATIONS_DIR}/`)) continue;
      const [top, account, region, file, ...rest] = f.path.split('/');
      const scope = file?.endsWith('.json') ? scopes.get(file.slice(0, -'.json'.length)) : undefined;
      const ok = top === 'evidence' && rest.length === 0 && accounts.has(account ?? '') && (scope === 'account' ? region === 'global' : scope === 'region' && regions.has(region ?? ''));
      if (!ok) throw new PackError(`${label}: ${f.path}: not evidence of this shard's accounts, regions and collectors (fix: collect the shard again; a shard holds only its partition's evidence)`);
    }
  }
  return owner;
}

/** The merged run.json: the whole population, the earliest start, the latest finish, and the shards it came from. */
function mergedRun(shards: ShardPack[], id: string): RunRecord {
  const first = shards[0] as ShardPack;
  const { shard, resumes: _resumes, ...common } = first.run;
  const merged: MergedShard[] = shards.map((s) => ({ runId: s.run.id, shard: s.run.shard.index, manifestSha256: s.pack.manifestSha256 }));
  return {
    ...common,
    id,
    startedAt: shards.map((s) => s.run.startedAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? first.run.startedAt,
    finishedAt: shards.map((s) => s.run.finishedAt).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? first.run.finishedAt,
    accounts: [...shard.population],
    merged,
  };
}

/** The merged manifest must list exactly the copied files with the shards' hashes, plus run.json (a racing writer is refused). */
function sealCheck(packDir: string, copied: Map<string, { sha256: string; bytes: number }>, manifest: Manifest): void {
  const files = new Map(manifest.files.map((f) => [f.path, f] as const));
  for (const [path, want] of copied) {
    const got = files.get(path);
    if (got?.sha256 !== want.sha256 || got.bytes !== want.bytes) throw new PackError(`${join(packDir, path)}: differs from the shard it was copied from; nothing was sealed (fix: make sure nothing else writes the output folder, and merge again)`);
  }
  const odd = manifest.files.find((f) => !copied.has(f.path) && f.path !== RUN_FILE);
  if (odd) throw new PackError(`${join(packDir, odd.path)}: appeared while merging; nothing was sealed (fix: make sure nothing else writes the output folder, and merge again)`);
}

/** Copies a shard's listed file byte for byte, as read (and re-hashed) through the verified pack. */
async function copyListed(from: VerifiedPack, path: string, toDir: string, copied: Map<string, { sha256: string; bytes: number }>): Promise<void> {
  const entry = from.manifest.files.find((f) => f.path === path);
  if (!entry) throw new PackError(`${join(from.dir, path)}: not listed in the pack's manifest (fix: restore the original pack)`);
  await writeFileAtomic(join(toDir, path), await from.read(path));
  copied.set(path, { sha256: entry.sha256, bytes: entry.bytes });
}

export async function mergeShards(options: MergeOptions): Promise<MergeOutcome> {
  if (options.packs.length === 0) throw new UserError('merge: no shard packs given (fix: pass the packs of every shard)', 2);
  if (options.packs.length > MAX_SHARDS) throw new UserError(`merge: ${options.packs.length} packs given, more than the ${MAX_SHARDS} shards a run may have (fix: pass the packs of one sharded run)`, 2);
  const labels = options.labels ?? options.packs;
  const warnings: string[] = [];
  // The catalog first: a bad controls folder must not cost verifying a thousand packs.
  const catalog = options.catalog ?? (await loadCatalog(options.controlsDir ?? DEFAULT_CONTROLS_DIR, allCollectors));
  const shards: ShardPack[] = [];
  for (const [i, dir] of options.packs.entries()) shards.push(await openShard(dir, labels[i] ?? dir, options.trust ?? {}));
  shards.sort((a, b) => a.run.shard.index - b.run.shard.index);
  checkSet(shards, options.maxSpreadSeconds ?? DEFAULT_MAX_SPREAD_SECONDS);
  checkPartition(shards);
  const first = shards[0] as ShardPack;
  const shardCatalog = first.pack.manifest.catalog?.digest;
  if (shardCatalog && shardCatalog !== catalog.digest)
    throw inconsistent(first.label, 'catalog.digest', `the shards were assessed with catalog ${shardCatalog}, --controls-dir is ${catalog.digest}`, 'merge with the --controls-dir the shards were assessed with');
  const files = shards.reduce((n, s) => n + s.pack.manifest.files.length, 0);
  const bytes = shards.reduce((n, s) => n + s.pack.manifest.files.reduce((m, f) => m + f.bytes, 0), 0);
  if (files > LIMITS.packFiles || bytes > LIMITS.packTotalBytes)
    throw new UserError(`merge: the shards hold ${files} files and ${bytes} bytes, more than one pack may (${LIMITS.packFiles} files, ${LIMITS.packTotalBytes} bytes) (fix: audit fewer regions or collectors per pack)`, 2);
  if (options.trust?.publicKeyPem === undefined && options.trust?.fingerprint === undefined)
    warnings.push('the shard packs were checked against their own embedded keys (or hashes) only: pass --public-key or --fingerprint to merge only shards signed by a key you trust');

  const runId = options.runId ?? newRunId(new Date());
  const parent = resolve(options.out);
  const finalDir = join(parent, runId);
  const staging = join(parent, `.${runId}.merging`);
  if (await lstat(finalDir).then(() => true, () => false)) throw new UserError(`${finalDir}: already exists (fix: merge into another --out, or remove it)`, 2);
  await mkdir(parent, { recursive: true });
  await mkdir(staging);
  try {
    const copied = new Map<string, { sha256: string; bytes: number }>();
    for (const s of shards) for (const f of s.pack.manifest.files) if (f.path.startsWith('evidence/')) await copyListed(s.pack, f.path, staging, copied);
    // Waivers and attestations are identical in every shard (checked): the first shard's copy judges the merge.
    for (const f of first.pack.manifest.files) if (f.path === WAIVERS_FILE || f.path.startsWith(`${ATTESTATIONS_DIR}/`)) await copyListed(first.pack, f.path, staging, copied);
    const run = mergedRun(shards, runId);
    await writePackJson(staging, RUN_FILE, run);
    const manifest = await writeManifest(staging, manifestMeta(run));
    try {
      sealCheck(staging, copied, manifest);
    } catch (err) {
      await rm(join(staging, MANIFEST), { force: true });
      throw err;
    }
    const results = await assessPack(staging, { catalog });
    await options.beforePublish?.(staging);
    await rename(staging, finalDir);
    return { packDir: finalDir, run, results, warnings };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
