import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Status } from '../../core/types.js';
import type { ControlResult } from '../../results/types.js';
import { findingId, isExportable, targetRegion, toFinding, type ExportableResult, type FindingContext, type FindingHistory } from './asff.js';
import { targetKey } from './lifecycle.js';
import type { RunRecord } from '../../locker/run-info.js';
import type { ResultsDocument } from '../../results/types.js';

/** What a push reads from a sealed pack. */
export interface PackForPush {
  run: RunRecord;
  results: ResultsDocument;
  /** sha256 hex of manifest.json as sealed. */
  manifestSha256: string;
  /** evidence sha256 hex -> path in the pack. */
  evidencePaths: Map<string, string>;
}

/**
 * The findings a sealed pack produces: one per exportable result, grouped by the account and region they live in.
 * The only mapping from a pack to findings, used both for the pack being pushed and to re-derive what an earlier
 * push of a previous pack sent (its push history is not signed; its results are).
 */

const RANK: Record<Status, number> = { ERROR: 6, FAIL: 5, WAIVED: 4, PASS: 3, MANUAL: 2, INHERITED: 1, NOT_APPLICABLE: 0 };

export interface PlannedEntry {
  control: ControlResult;
  result: ExportableResult;
  id: string;
}

export interface Planned {
  account: string;
  region: string;
  entries: PlannedEntry[];
}

/** Exportable results grouped by the account and region their finding lives in; one result per Id (the worst). */
export function planTargets(pack: PackForPush): Map<string, Planned> {
  const byId = new Map<string, PlannedEntry & { region: string }>();
  for (const control of pack.results.controls) {
    for (const result of control.results as ExportableResult[]) {
      if (!isExportable(control, result)) continue;
      const id = findingId(control.id, result.account, result.region, result.resourceId);
      const seen = byId.get(id);
      if (!seen || RANK[result.status] > RANK[seen.result.status]) byId.set(id, { control, result, id, region: targetRegion(result.region, pack.run.homeRegion) });
    }
  }
  const targets = new Map<string, Planned>();
  for (const e of byId.values()) {
    const key = targetKey(e.result.account, e.region);
    const t = targets.get(key) ?? { account: e.result.account, region: e.region, entries: [] };
    t.entries.push({ control: e.control, result: e.result, id: e.id });
    targets.set(key, t);
  }
  return targets;
}

/** What every finding of a pack names: its run, its sealed manifest, its evidence; `updatedAt` is the push time. */
export function findingContext(pack: PackForPush, updatedAt: string): FindingContext {
  return {
    runId: pack.run.id,
    manifestSha256: pack.manifestSha256,
    homeRegion: pack.run.homeRegion,
    evidencePaths: pack.evidencePaths,
    observedAt: pack.run.finishedAt,
    updatedAt,
  };
}

/** The findings of one target, sorted by Id; `history` gives CreatedAt (and FirstObservedAt) of Ids pushed before. */
export function buildFindings(planned: Planned, ctx: FindingContext, history: (id: string) => FindingHistory | undefined = () => undefined): AwsSecurityFinding[] {
  return planned.entries.map(({ control, result, id }) => toFinding(control, result, ctx, history(id))).sort((a, b) => (a.Id ?? '').localeCompare(b.Id ?? ''));
}
