import type { Severity, Status } from '../core/types.js';
import type { StatusCounts } from '../score/score.js';

/** One run as the diff and the trend name it. */
export interface PackRef {
  runId: string;
  startedAt: string;
  finishedAt: string;
  score: number | null;
}

/** Identity of a resource result across runs: the same control judged the same resource in the same place. */
export interface ResultKey {
  control: string;
  account: string;
  region: string;
  resourceId: string;
}

/** A resource result whose status differs between the two runs (or that exists in only one of them). */
export interface ResultChange extends ResultKey {
  controlTitle: string;
  severity: Severity;
  resourceType: string;
  /** Status in the old run; absent when the old run had no result for this key. */
  before?: Status;
  /** Status in the new run; absent when the new run has no result for this key. */
  after?: Status;
  /** The new run's message (the old one when the result is gone). */
  message: string;
  /** For WAIVED results that carry it: the status the waiver covers. */
  originalStatus?: Status;
  /** The waiver of the WAIVED side (the new one if waived now, else the old one that ended). */
  waiver?: { id: string; expires: string };
}

/** A control present in only one of the two runs (the catalog or the selection changed). */
export interface ControlChange {
  id: string;
  title: string;
  severity: Severity;
  /** Status in the run that has the control. */
  status: Status;
  counts: StatusCounts;
}

/** An evidence file of the new pack collected longer ago than the freshness limit. */
export interface StaleEvidence {
  path: string;
  sha256: string;
  collectedAt: string;
  /** Whole days before the new run finished; null when the date cannot be read (listed: it cannot prove freshness). */
  ageDays: number | null;
}

/** The per-result change categories; a result may be in several (PASS → FAIL is a regression and a new failure). */
export const RESULT_CATEGORIES = ['newFailures', 'regressed', 'newErrors', 'fixed', 'newlyWaived', 'waiversExpired', 'newResources', 'removedResources'] as const;
export type ResultCategory = (typeof RESULT_CATEGORIES)[number];

/** Titles and one-line definitions, shared by the CLI, HTML and PDF so all three say the same thing. */
export const CATEGORY_TEXT: Record<ResultCategory, { title: string; definition: string }> = {
  newFailures: { title: 'New failures', definition: 'FAIL now; absent or not failing in the previous run.' },
  regressed: { title: 'Regressed', definition: 'PASS in the previous run; FAIL or ERROR now.' },
  newErrors: { title: 'New errors', definition: 'ERROR now (could not be evaluated); absent or not in error before.' },
  fixed: { title: 'Fixed', definition: 'FAIL or ERROR in the previous run; PASS now.' },
  newlyWaived: { title: 'Newly waived', definition: 'WAIVED now; absent or not waived before.' },
  waiversExpired: { title: 'Waivers ended', definition: 'WAIVED in the previous run; no longer waived now (expired or withdrawn).' },
  newResources: { title: 'New resources', definition: 'Judged now, not in the previous run (controls in both runs only).' },
  removedResources: { title: 'Removed resources', definition: 'Judged in the previous run, not now (controls in both runs only).' },
};

/** `auditpack diff OLD NEW`: what changed between two packs. Every list is sorted; same inputs, same output. */
export interface PackDiff {
  old: PackRef;
  new: PackRef;
  score: { before: number | null; after: number | null; delta: number | null };
  newFailures: ResultChange[];
  fixed: ResultChange[];
  regressed: ResultChange[];
  newErrors: ResultChange[];
  newlyWaived: ResultChange[];
  waiversExpired: ResultChange[];
  newResources: ResultChange[];
  removedResources: ResultChange[];
  controlsAdded: ControlChange[];
  controlsRemoved: ControlChange[];
  /** Freshness limit used, in days. */
  staleAfterDays: number;
  /** False when no manifest of the new pack was given, so file ages could not be checked. */
  evidenceChecked: boolean;
  staleEvidence: StaleEvidence[];
}

/** One point of the score trend: a pack found under the history directory. */
export interface HistoryPoint {
  runId: string;
  startedAt: string;
  score: number | null;
  byStatus: StatusCounts;
}
