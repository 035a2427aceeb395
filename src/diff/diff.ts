import { STATUSES, type ResourceResult, type Status } from '../core/types.js';
import { worstStatus } from '../evaluate/judge.js';
import type { Manifest } from '../locker/pack.js';
import type { ControlResult, ResultsDocument } from '../results/types.js';
import type { ControlChange, PackDiff, PackRef, ResultCategory, ResultChange, ResultKey, StaleEvidence } from './types.js';

export interface DiffOptions {
  /** Evidence older than this (relative to the new run) is stale. Default 90. */
  staleAfterDays?: number;
  /** The new pack's manifest: needed to list stale evidence (file dates live there). */
  newManifest?: Manifest;
}

import { DEFAULT_STALE_AFTER_DAYS } from '../core/defaults.js';
export { DEFAULT_STALE_AFTER_DAYS };
const DAY_MS = 86_400_000;

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareKeys(a: ResultKey, b: ResultKey): number {
  return compareText(a.control, b.control) || compareText(a.account, b.account) || compareText(a.region, b.region) || compareText(a.resourceId, b.resourceId);
}

function keyOf(control: string, r: ResourceResult): string {
  return JSON.stringify([control, r.account, r.region, r.resourceId]);
}

/** `originalStatus` arrives with waivers; read it defensively so packs of any version diff. */
function originalStatusOf(r: ResourceResult): Status | undefined {
  const value: unknown = r.originalStatus;
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value) ? (value as Status) : undefined;
}

/** Results of one control by key; a key judged twice keeps its worst verdict (never hide a FAIL behind a PASS). */
function resultsByKey(control: ControlResult): Map<string, ResourceResult> {
  const byKey = new Map<string, ResourceResult>();
  for (const r of control.results) {
    const key = keyOf(control.id, r);
    const seen = byKey.get(key);
    if (!seen || worstStatus([seen.status, r.status]) !== seen.status) byKey.set(key, r);
  }
  return byKey;
}

function packRef(doc: ResultsDocument): PackRef {
  return { runId: doc.run.id, startedAt: doc.run.startedAt, finishedAt: doc.run.finishedAt, score: doc.summary.score };
}

function controlChange(c: ControlResult): ControlChange {
  return { id: c.id, title: c.title, severity: c.severity, status: c.status, counts: c.counts };
}

/** Which categories one before/after pair belongs to (see CATEGORY_TEXT for the definitions). */
export function categoriesOf(before: Status | undefined, after: Status | undefined, beforeOriginal?: Status): ResultCategory[] {
  const out: ResultCategory[] = [];
  if (after === 'FAIL' && before !== 'FAIL') out.push('newFailures');
  if (before === 'PASS' && (after === 'FAIL' || after === 'ERROR')) out.push('regressed');
  if (after === 'ERROR' && before !== 'ERROR') out.push('newErrors');
  // A waived failure that now passes was fixed too, not only un-waived.
  const effectiveBefore = before === 'WAIVED' ? beforeOriginal : before;
  if ((effectiveBefore === 'FAIL' || effectiveBefore === 'ERROR') && after === 'PASS') out.push('fixed');
  if (after === 'WAIVED' && before !== 'WAIVED') out.push('newlyWaived');
  if (before === 'WAIVED' && after !== undefined && after !== 'WAIVED') out.push('waiversExpired');
  if (before === undefined && after !== undefined) out.push('newResources');
  if (before !== undefined && after === undefined) out.push('removedResources');
  return out;
}

function waiverOf(r: ResourceResult | undefined): ResultChange['waiver'] {
  const w = r?.status === 'WAIVED' ? r.waiver : undefined;
  return w && typeof w.id === 'string' && typeof w.expires === 'string' ? { id: w.id, expires: w.expires } : undefined;
}

function change(control: ControlResult, before: ResourceResult | undefined, after: ResourceResult | undefined): ResultChange {
  const r = (after ?? before)!;
  const original = after && after.status === 'WAIVED' ? originalStatusOf(after) : undefined;
  const waiver = waiverOf(after) ?? waiverOf(before);
  return {
    control: control.id,
    controlTitle: control.title,
    severity: control.severity,
    account: r.account,
    region: r.region,
    resourceId: r.resourceId,
    resourceType: r.resourceType,
    ...(before ? { before: before.status } : {}),
    ...(after ? { after: after.status } : {}),
    message: r.message,
    ...(original ? { originalStatus: original } : {}),
    ...(waiver ? { waiver } : {}),
  };
}

/** Evidence files of the new pack whose collection time is more than `days` before the new run finished. */
function staleEvidence(manifest: Manifest, reference: string, days: number): StaleEvidence[] {
  const ref = Date.parse(reference);
  const out: StaleEvidence[] = [];
  for (const file of manifest.files) {
    if (!file.path.startsWith('evidence/') && file.collectedAt === undefined) continue;
    const collectedAt = file.collectedAt ?? manifest.run.finishedAt;
    const at = Date.parse(collectedAt);
    // A date that cannot be read cannot prove the evidence is fresh: list it (fail closed).
    const ageDays = Number.isFinite(at) && Number.isFinite(ref) ? Math.floor((ref - at) / DAY_MS) : null;
    if (ageDays === null || ageDays > days) out.push({ path: file.path, sha256: file.sha256, collectedAt, ageDays });
  }
  return out.sort((a, b) => compareText(a.path, b.path));
}

/**
 * What changed from `oldResults` to `newResults`, per control and resource (control + account + region + resource
 * id). Per-resource categories cover controls present in both runs; controls only in one are listed as added or
 * removed, so a catalog change never shows up as a change in the estate. Pure and deterministic.
 */
export function diffResults(oldResults: ResultsDocument, newResults: ResultsDocument, options: DiffOptions = {}): PackDiff {
  const staleAfterDays = options.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS;
  if (!Number.isFinite(staleAfterDays) || staleAfterDays < 0) throw new RangeError(`staleAfterDays must be a number of days >= 0, got ${staleAfterDays}`);
  const oldControls = new Map(oldResults.controls.map((c) => [c.id, c] as const));
  const newControls = new Map(newResults.controls.map((c) => [c.id, c] as const));
  const lists: Record<ResultCategory, ResultChange[]> = {
    newFailures: [],
    fixed: [],
    regressed: [],
    newErrors: [],
    newlyWaived: [],
    waiversExpired: [],
    newResources: [],
    removedResources: [],
  };
  for (const [id, now] of newControls) {
    const was = oldControls.get(id);
    if (!was) continue;
    const before = resultsByKey(was);
    const after = resultsByKey(now);
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(key);
      const a = after.get(key);
      const categories = categoriesOf(b?.status, a?.status, b ? originalStatusOf(b) : undefined);
      if (categories.length === 0) continue;
      const entry = change(now, b, a);
      for (const category of categories) lists[category].push(entry);
    }
  }
  for (const list of Object.values(lists)) list.sort(compareKeys);
  const byId = (a: ControlChange, b: ControlChange): number => compareText(a.id, b.id);
  const before = oldResults.summary.score;
  const after = newResults.summary.score;
  return {
    old: packRef(oldResults),
    new: packRef(newResults),
    score: { before, after, delta: before === null || after === null ? null : Math.round((after - before) * 10) / 10 },
    ...lists,
    controlsAdded: newResults.controls.filter((c) => !oldControls.has(c.id)).map(controlChange).sort(byId),
    controlsRemoved: oldResults.controls.filter((c) => !newControls.has(c.id)).map(controlChange).sort(byId),
    staleAfterDays,
    evidenceChecked: options.newManifest !== undefined,
    staleEvidence: options.newManifest ? staleEvidence(options.newManifest, newResults.run.finishedAt, staleAfterDays) : [],
  };
}
