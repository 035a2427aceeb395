import type { ControlKind, InheritedEvidence, Refusal, RemediationText, Severity, Status } from '../core/types.js';
import type { ReportSection } from './definition.js';
import type { AttestationOutcome } from '../workflow/attestations.js';
import type { WaiverOutcome } from '../workflow/waivers.js';
import type { HistoryPoint, PackDiff } from '../diff/types.js';

/**
 * Everything a report shows, built from results.json and manifest.json only. HTML (Handlebars) and PDF (pdfkit)
 * both render this one model, so the two can never disagree.
 */
export interface ReportView {
  meta: ReportMeta;
  sections: ReportSection[];
  summary: SummaryView;
  /** The `accounts` section (one row per account); absent unless the definition has it and the run has more than one account. */
  accounts?: AccountsView;
  /** Caps on the lists the reports show (from the definition); absent in views made before they existed (nothing capped). */
  limits?: { resultsPerControl: number; accounts: number; appendixFiles: number };
  /** Whole regions or services that refused the auditor, stated once (in the summary section); absent when none. */
  refusals?: RefusalView[];
  /** Refused scopes in all, when more than `refusals` lists (capped at `limits.accounts`; results.json has them all). */
  refusalsTotal?: number;
  wellArchitected: WellArchitectedView;
  /** The `framework-index` section (the report numbered by one framework's ids); absent unless the definition has it. */
  frameworkIndex?: FrameworkIndexView;
  sharedResponsibility: { version: string; owners: { owner: 'customer' | 'shared' | 'aws'; label: string; items: SrItemView[] }[] };
  controls: ControlView[];
  register: { manual: RegisterEntry[]; inherited: RegisterEntry[] };
  /** The exceptions register (waivers with their state) and the attestations on file. */
  workflow?: { waivers: WaiverOutcome[]; attestations: AttestationOutcome[] };
  /** `files`: at most the definition's `limits.appendixFiles`; `totalFiles` and `totalBytes` count every file of the manifest. */
  appendix: { files: EvidenceFileView[]; totalFiles?: number; totalBytes: number; verification: VerificationStep[] };
  /** Change since a previous pack; absent when none was given (the section then says so). */
  changes?: ChangesView;
}

/** The `changes` section: the diff against a previous pack and the score trend over the packs given. */
export interface ChangesView {
  /** Absent when only a history directory was given. */
  diff?: PackDiff;
  /** Score per run, oldest first, this run included. */
  trend: HistoryPoint[];
  /** The previous pack's Well-Architected coverage, so the matrix can mark best practices newly automated. */
  previousWellArchitected?: WaCoverageBaseline;
}

/** Which controls (and of which kind) covered each best practice in an earlier run (build-view.ts waCoverageBaseline). */
export interface WaCoverageBaseline {
  runId: string;
  startedAt: string;
  /** `frameworks`: the framework keys each control maps to (for `controls.mappedTo`). */
  bestPractices: { id: string; controls: { id: string; kind: ControlKind; frameworks: string[] }[] }[];
}

/** How a best practice is covered: by at least one automated control, only manually, only by AWS, or not at all. */
export type WaAutomation = 'automated' | 'manual-only' | 'inherited-only' | 'not-covered';

export interface WellArchitectedView {
  version: string;
  questions: WaQuestionView[];
  /** Best practices per automation kind, over the report's controls. */
  automation?: Record<WaAutomation, number>;
  /** Set when a previous pack was given: the best practices that gained or lost automated coverage since it. */
  baseline?: {
    runId: string;
    startedAt: string;
    newlyAutomated: WaMovedPractice[];
    noLongerAutomated: WaMovedPractice[];
  };
}

export interface WaMovedPractice {
  id: string;
  title: string;
  before: WaAutomation;
  after: WaAutomation;
}

/** The `framework-index` section: one row per framework requirement, in the framework's numbering. */
export interface FrameworkIndexView {
  framework: string;
  /** Short label, e.g. `CIS AWS 3.0`. */
  label: string;
  /** Full name from the framework catalog. */
  name: string;
  version: string;
  /** Set only when the run was assessed against another version of the framework than the one shown. */
  assessedVersion?: string;
  totals: { requirements: number; covered: number; automated: number; notCovered: number; byLevel: { level: string; count: number }[] };
  /** Requirements grouped by the framework's sections, in numeric id order (1.2 before 1.10). */
  groups: { title: string; requirements: FrameworkRequirementView[] }[];
}

export interface FrameworkRequirementView {
  id: string;
  title: string;
  /** Profile level, e.g. L1 / L2. */
  level?: string;
  /** The framework's own assessment status, e.g. Automated / Manual. */
  assessment?: string;
  /** Worst status of the mapped controls; NOT_COVERED when no control in the report maps to it. */
  status: Status | 'NOT_COVERED';
  controls: { id: string; kind: ControlKind; status: Status }[];
}

export interface ReportMeta {
  title: string;
  organisation: string;
  period: { from: string; to: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  accounts: string[];
  regions: string[];
  toolName: string;
  toolVersion: string;
  catalogDigest: string;
  frameworkVersions: Record<string, string>;
  /** sha256 of manifest.json as it was when the report was rendered. */
  manifestSha256: string;
  definitionId: string;
  frameworks: string[];
}

export interface StatusCount {
  status: Status;
  count: number;
  /** Fraction of the total, 0..1. */
  share: number;
}

export interface SummaryView {
  score: number | null;
  controlCounts: StatusCount[];
  resultCounts: StatusCount[];
  totalControls: number;
  totalResults: number;
  bySeverity: { severity: Severity; counts: Record<Status, number>; score: number | null; failing: number }[];
  /** Failing or errored controls, worst severity first, most failing resources first. */
  topRisks: { id: string; title: string; severity: Severity; status: Status; failing: number; total: number }[];
}

/** The `accounts` section: per-account results and score, worst first, capped (`omitted` accounts not listed). */
export interface AccountsView {
  rows: AccountRowView[];
  /** Accounts in the run (and any other account a result names). */
  total: number;
  omitted: number;
}

export interface AccountRowView {
  account: string;
  /** Resource results of the report's automated controls in this account, by status (all of them, never capped). */
  counts: Record<Status, number>;
  results: number;
  /** Severity-weighted score of the controls as judged in this account (src/score); null when nothing is scored. */
  score: number | null;
  /** Automated controls with at least one result in this account. */
  controls: number;
  failingControls: number;
  /** The worst failing controls here: worst severity, then most failing resources. */
  worst: { id: string; severity: Severity; status: Status; failing: number }[];
}

/** One refused scope (results.json summary.refusals) with the selected controls it left in ERROR. */
export interface RefusalView {
  account: string;
  region: string;
  /** Absent when the whole account and region refused. */
  service?: string;
  cause: Refusal;
  /** The cause in words, e.g. "region not enabled". */
  causeText: string;
  collectors: string[];
  fix: string;
  message: string;
  /** The report's controls that needed these collector runs, so are ERROR there. */
  controls: string[];
}

export interface WaQuestionView {
  id: string;
  title: string;
  status: Status | 'NOT_COVERED';
  score: number | null;
  bestPractices: {
    id: string;
    title: string;
    status: Status | 'NOT_COVERED';
    coverage: ('automated' | 'manual' | 'inherited')[];
    controls: string[];
    formerIds?: string[];
    /** How it is covered (derived from `coverage`). Absent in views made before it existed. */
    automation?: WaAutomation;
    /** Set with a baseline: how it was covered in the previous run, and whether it gained automated coverage. */
    previous?: { automation: WaAutomation; newlyAutomated: boolean };
  }[];
}

export interface SrItemView {
  id: string;
  title: string;
  status: Status | 'NOT_COVERED';
  /** Automated / manual / inherited controls that cover the item. */
  coveredBy: { id: string; kind: ControlKind; status: Status }[];
}

export interface EvidenceFileView {
  path: string;
  sha256: string;
  bytes: number;
  collectedAt?: string;
  account?: string;
  region?: string;
  collector?: string;
}

export interface ResultView {
  resourceId: string;
  resourceType: string;
  account: string;
  region: string;
  status: Status;
  message: string;
  /** Indexes into the control's `evidenceFiles`. */
  evidence: number[];
}

export interface ControlView {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  severity: Severity;
  kind: ControlKind;
  responsibility: 'customer' | 'shared' | 'aws';
  status: Status;
  /** framework key -> ids, only the frameworks the definition selects. */
  mappings: { framework: string; label: string; ids: string[] }[];
  params: { name: string; value: string }[];
  remediation: RemediationText;
  inherited?: InheritedEvidence;
  counts: Record<Status, number>;
  /**
   * The rows the reports list: at most `limits.resultsPerControl`, ERROR and FAIL first (result-cap.ts); every
   * result, in results.json order, in a view built uncapped (the CSV). `counts` always cover every result.
   */
  results: ResultView[];
  /** Results not in `results` (listed in results.csv and results.json); absent or 0 when none were left out. */
  omittedResults?: number;
  /** The evidence files the listed rows reference (E1, E2, ...). */
  evidenceFiles: EvidenceFileView[];
  /** Distinct evidence files of all the control's results, when more than `evidenceFiles` lists. */
  totalEvidenceFiles?: number;
  /** Automated controls: the evidence sources used and the age of the oldest evidence (absent for manual/inherited). */
  evidenceProvenance?: EvidenceProvenanceView;
}

/** Where a control's evidence came from and how old the oldest was, as both reports state it (evidence-age.ts). */
export interface EvidenceProvenanceView {
  /** `api`, `config` (as recorded; empty when none or not recorded). */
  sources: string[];
  /** More than one source. */
  mixed: boolean;
  /** False for results written before the fields existed. */
  recorded: boolean;
  /** Capture time of the oldest evidence, for display (`2026-11-23 18:46:37 UTC`). */
  oldest?: string;
  /** The same time as recorded (ISO 8601, UTC), for machine-readable outputs. */
  oldestAt?: string;
  /** Its age at collection time, e.g. `3 h 12 min`. */
  age?: string;
  ageSeconds?: number;
  /** The whole statement on one line. */
  text: string;
}

export interface RegisterEntry {
  id: string;
  title: string;
  kind: ControlKind;
  status: Status;
  mappings: string[];
  evidence: string;
}

export interface VerificationStep {
  title: string;
  command: string;
}
