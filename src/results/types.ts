import type { ControlKind, InheritedEvidence, Mappings, Refusal, RemediationText, Responsibility, ResourceResult, Severity, Status } from '../core/types.js';
import type { EvidenceSource } from '../evaluate/provenance.js';
import type { StatusCounts } from '../score/score.js';
import type { AttestationOutcome } from '../workflow/attestations.js';
import type { WaiverOutcome } from '../workflow/waivers.js';

/** results.json (public contract, DESIGN §6; JSON Schema in schemas/results.schema.json). */
export interface ResultsDocument {
  schemaVersion: '1';
  run: RunInfo;
  summary: Summary;
  controls: ControlResult[];
}

export interface RunInfo {
  id: string;
  startedAt: string;
  finishedAt: string;
  tool: { name: 'auditpack'; version: string };
  accounts: string[];
  regions: string[];
  catalog: { digest: string; frameworks: Record<string, string> };
}

export interface Rollup {
  byStatus: StatusCounts;
  score: number | null;
}

/** What the audit workflow did: waivers (applied, expired, unmatched) and attestations (valid, expired, ...). */
export interface WorkflowSummary {
  waivers: WaiverOutcome[];
  attestations: AttestationOutcome[];
}

export interface Summary extends Rollup, WorkflowSummary {
  resultsByStatus: StatusCounts;
  bySeverity: Record<Severity, Rollup>;
  byResponsibility: Record<Responsibility, Rollup>;
  wellArchitected: {
    version: string;
    /** The older numbering the crosswalk maps from (controls/frameworks/well-architected.yaml). */
    formerVersion: string;
    /** Best-practice ids of the older numbering that have no successor. */
    retiredIds: string[];
    questions: WaQuestionRollup[];
  };
  sharedResponsibility: { version: string; items: SrItemRollup[] };
  frameworks: Record<'security-hub' | 'cis-aws-3.0', { version: string; requirements: RequirementRollup[] }>;
  /** Whole regions or services that refused the auditor; absent when none did (and in older results). */
  refusals?: RefusedScope[];
}

/**
 * An account and region (and service, when only some services were refused) that refused the auditor for one cause.
 * The controls that needed those collector runs are ERROR there with the collector's reason; this states it once.
 */
export interface RefusedScope {
  account: string;
  /** AWS region, or `global` for account-wide collectors. */
  region: string;
  /** Set when only some services of the account and region were refused: the service prefix, e.g. guardduty. */
  service?: string;
  cause: Refusal;
  /** The refused collector runs, by collector id (sorted). */
  collectors: string[];
  /** What to do about it, e.g. `--regions us-east-1, or enable the region`. */
  fix: string;
  /** The whole finding on one line: account, region, cause, runs and fix. */
  message: string;
}

export interface WaQuestionRollup extends Rollup {
  id: string;
  title: string;
  bestPractices: WaBestPracticeRollup[];
}

export interface WaBestPracticeRollup extends Rollup {
  id: string;
  title: string;
  /** Ids this practice had in the older numbering, where they differ (from the crosswalk). */
  formerIds: string[];
  /** How the practice is covered: by automated controls, attestations (manual), AWS (inherited), or not at all. */
  coverage: ('automated' | 'manual' | 'inherited')[];
  status: Status | 'NOT_COVERED';
  controls: string[];
}

export interface SrItemRollup extends Rollup {
  id: string;
  owner: 'aws' | 'customer' | 'shared';
  title: string;
  status: Status | 'NOT_COVERED';
  controls: string[];
}

export interface RequirementRollup {
  id: string;
  status: Status;
  controls: string[];
}

export interface ControlResult {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  severity: Severity;
  kind: ControlKind;
  responsibility: Responsibility;
  status: Status;
  mappings: Mappings;
  params: Record<string, unknown>;
  remediation: RemediationText;
  /** For inherited controls: the AWS Artifact reports that evidence them. */
  inherited?: InheritedEvidence;
  source: string;
  evidence: string[];
  counts: StatusCounts;
  results: ResourceResult[];
  /**
   * Automated controls: the evidence sources the results used (`api` = live API calls, `config` = AWS Config
   * items), sorted; empty when no result used evidence. Absent in older results and for manual/inherited controls.
   */
  evidenceSources?: EvidenceSource[];
  /** The oldest evidence time the results used (ISO 8601, UTC): a Config capture time or a record's collectedAt. */
  oldestEvidence?: string;
  /** The pack's collection time (its newest collectedAt) minus oldestEvidence, in whole seconds. */
  evidenceAgeSeconds?: number;
  /** Judged resources whose provenance could not be read (counted as live API, true age unknown); absent when none. */
  unreadableProvenance?: number;
}
