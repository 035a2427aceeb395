import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Collector } from '../core/collector.js';
import { loadCatalog, DEFAULT_CONTROLS_DIR, type Catalog } from '../catalog/load.js';
import { collectors as allCollectors } from '../../collectors/index.js';
import { OSCAL_FILE, writeAssessmentResults } from '../export/oscal/assessment-results.js';
import { UserError } from '../core/errors.js';
import { sha256Hex, writeFileAtomic } from '../core/fs.js';
import { applyAttestation, applyControlWaivers } from '../workflow/apply.js';
import { judgeAttestations, loadPackAttestations } from '../workflow/attestations.js';
import { loadWaivers, parseWaivers, waiverOutcomes, type Waiver } from '../workflow/waivers.js';
import { ControlEvaluation, type ControlOutcome } from '../evaluate/evaluate.js';
import { collectionTime } from '../evaluate/provenance.js';
import { EvidenceIndex } from '../evaluate/evidence-index.js';
import { DERIVED_OUTPUTS, MANIFEST, manifestMeta, writeManifest, writePackJson, type SealGuard } from '../locker/pack.js';
import { withRollback } from '../locker/rollback.js';
import { parseEvidenceRecord } from '../locker/evidence-record.js';
import { openVerifiedPack, type PackTrust, type VerifiedPack } from '../verify/open-pack.js';
import { RUN_FILE, type RunRecord } from '../locker/run-info.js';
import { buildResults } from '../results/build.js';
import { refusedScopes, type RefusalFacts } from '../results/refusals.js';
import type { ResultsDocument } from '../results/types.js';
import { RESULTS_FILE, WAIVERS_FILE } from '../locker/layout.js';

export interface AssessOptions {
  /** waivers.yaml to apply; it is copied into the pack (default: the pack's own waivers.yaml, if any). */
  waiversFile?: string;
  controlsDir?: string;
  /** Only these control ids (default: all). */
  controlIds?: string[];
  /** Per-control parameter overrides: control id -> { param: value }. */
  params?: Record<string, Record<string, unknown>>;
  catalog?: Catalog;
  /** Require the pack to be signed by this key (`assess --public-key`). */
  trust?: PackTrust;
}

export { RESULTS_FILE, WAIVERS_FILE };

export function selectControls(catalog: Catalog, ids?: string[]): Catalog['controls'] {
  if (!ids?.length) return catalog.controls;
  const known = new Set(catalog.controls.map((c) => c.definition.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown) throw new UserError(`--controls: unknown control id "${unknown}" (fix: see \`auditpack controls list\`)`);
  return catalog.controls.filter((c) => ids.includes(c.definition.id));
}

/** The waivers to apply: a given file is copied into the pack first, so the pack holds what judged it. */
async function packWaivers(pack: VerifiedPack, file: string | undefined, known: ReadonlySet<string>): Promise<{ waivers: Waiver[]; copy?: string }> {
  if (file) {
    const { waivers, text } = await loadWaivers(file, known);
    return { waivers, copy: text };
  }
  if (!pack.has(WAIVERS_FILE)) return { waivers: [] };
  return { waivers: parseWaivers(join(pack.dir, WAIVERS_FILE), (await pack.read(WAIVERS_FILE)).toString('utf8'), known) };
}

/** Every override must name a known control and one of its declared params: a typo must not pass silently. */
export function checkParamOverrides(catalog: Catalog, params: AssessOptions['params'] = {}): void {
  for (const [id, overrides] of Object.entries(params)) {
    const control = catalog.controls.find((c) => c.definition.id === id);
    if (!control) throw new UserError(`--param: unknown control id "${id}" (fix: see \`auditpack controls list\`)`);
    for (const name of Object.keys(overrides)) {
      if (!(name in control.definition.params)) {
        const known = Object.keys(control.definition.params).join(', ') || 'none';
        throw new UserError(`--param: control "${id}" has no parameter "${name}" (fix: use one of: ${known})`);
      }
    }
  }
}

/** Collectors needed by a set of controls (for a run limited to some controls). */
export function collectorsFor(controls: Catalog['controls'], available: readonly Collector[] = allCollectors): Collector[] {
  const needed = new Set(controls.flatMap((c) => c.definition.evidence));
  return available.filter((c) => needed.has(c.id));
}

/**
 * The evidence records of one account (every region and collector the run says it collected), read through the
 * verified pack (each file re-hashed as it is read). Account, region and collector ids were validated by
 * run.schema.json, so the paths stay inside the pack. A record that is not an evidence record is refused: the pack
 * passed its hashes, so it was sealed that way.
 */
async function loadAccountEvidence(pack: VerifiedPack, run: RunRecord, account: string): Promise<EvidenceIndex> {
  const index = new EvidenceIndex();
  for (const c of run.collectors) {
    for (const region of c.scope === 'account' ? ['global'] : run.regions) {
      const path = `evidence/${account}/${region}/${c.id}.json`;
      if (!pack.has(path)) continue; // evaluation reports the missing evidence as ERROR
      const bytes = await pack.read(path);
      index.add({ record: parseEvidenceRecord(join(pack.dir, path), bytes, { account, region, collector: c.id }), path, sha256: sha256Hex(bytes) });
    }
  }
  return index;
}

/** What outlives an account's evidence: the facts refusals are grouped from, and the newest collection time. */
interface PackFacts {
  refusals: RefusalFacts[];
  newest: number | undefined;
}

/**
 * Evaluates every selected control account by account: one account's evidence is loaded, judged by every control
 * and dropped before the next account is read, so memory holds one account's evidence and the results (which are
 * far smaller), never the organisation's evidence. Results come out exactly as one pass over the whole pack gives
 * them (ControlEvaluation), and refusals and the collection time are gathered over every account.
 */
export async function evaluateByAccount(pack: VerifiedPack, run: RunRecord, controls: Catalog['controls'], params: AssessOptions['params']): Promise<{ outcomes: ControlOutcome[]; facts: PackFacts }> {
  const scopes = new Map(run.collectors.map((c) => [c.id, c.scope] as const));
  const evaluations = controls.map((control) => new ControlEvaluation(control, scopes, params?.[control.definition.id]));
  const facts: PackFacts = { refusals: [], newest: undefined };
  for (const account of run.accounts) {
    const index = await loadAccountEvidence(pack, run, account);
    const records = index.all().map((e) => e.record);
    for (const { account: a, region, collector, status, error } of records) facts.refusals.push({ account: a, region, collector, status, ...(error ? { error } : {}) });
    const newest = collectionTime(records);
    if (newest !== undefined && (facts.newest === undefined || newest > facts.newest)) facts.newest = newest;
    for (const evaluation of evaluations) evaluation.addAccount(index, account, run.regions);
  }
  return { outcomes: evaluations.map((e) => e.finish(facts.newest)), facts };
}

/**
 * Evaluates a pack offline: verifies it first (hashes, no added or odd files, signatures when signed; a tampered
 * pack is refused with exit 4 and never re-sealed), reads only the locker, writes results.json and a new manifest.
 * Same pack + same catalog = byte-identical results.json.
 */
export async function assessPack(packDir: string, options: AssessOptions = {}): Promise<ResultsDocument> {
  const pack = await openVerifiedPack(packDir, { purpose: 'assess', ...options.trust });
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  const catalog = options.catalog ?? (await loadCatalog(options.controlsDir ?? DEFAULT_CONTROLS_DIR, allCollectors));
  checkParamOverrides(catalog, options.params);
  const known = new Set(catalog.controls.map((c) => c.definition.id));
  const { waivers, copy: waiversCopy } = await packWaivers(pack, options.waiversFile, known);
  const { chosen, outcomes: attestations } = judgeAttestations(await loadPackAttestations(packDir, (path) => pack.read(path)), run.startedAt);
  const { outcomes: evaluated, facts } = await evaluateByAccount(pack, run, selectControls(catalog, options.controlIds ?? run.controlIds), options.params);
  const matched = new Map<string, number>();
  const outcomes = evaluated.map((outcome) => applyControlWaivers(applyAttestation(outcome, chosen.get(outcome.definition.id), run.accounts), waivers, run.startedAt, matched));
  const results = buildResults(
    {
      id: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      tool: run.tool,
      accounts: run.accounts,
      regions: run.regions,
      catalog: { digest: catalog.digest, frameworks: catalog.frameworks.versions },
    },
    outcomes,
    catalog.frameworks,
    { waivers: waiverOutcomes(waivers, run.startedAt, matched), attestations },
    refusedScopes(facts.refusals),
  );
  const written = [RESULTS_FILE, OSCAL_FILE, ...(waiversCopy === undefined ? [] : [WAIVERS_FILE])];
  const guard: SealGuard = { verified: pack.manifest, written: new Set(written), dropped: new Set(DERIVED_OUTPUTS) };
  const meta = manifestMeta(run, catalog.digest);
  // Everything from here rewrites the pack: on any failure it is put back as it was.
  await withRollback(packDir, [MANIFEST, ...written, ...DERIVED_OUTPUTS], async () => {
    if (waiversCopy !== undefined) await writeFileAtomic(join(packDir, WAIVERS_FILE), waiversCopy);
    await writePackJson(packDir, RESULTS_FILE, results);
    // Reports and signatures describe the previous results: remove them rather than leave them stale.
    for (const file of DERIVED_OUTPUTS) await rm(join(packDir, file), { force: true });
    // OSCAL observations carry the evidence hashes, so the manifest is sealed once for them and again to list the file.
    await writeAssessmentResults(packDir, results, await writeManifest(packDir, meta, guard));
    await writeManifest(packDir, meta, guard);
  });
  return results;
}
