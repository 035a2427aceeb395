/** Core data contracts shared by every stage. Stages import from here; nothing here imports a stage. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'MANUAL', 'INHERITED', 'WAIVED'] as const;
export type Status = (typeof STATUSES)[number];

export type Responsibility = 'customer' | 'shared' | 'aws';
export type ControlKind = 'automated' | 'manual' | 'inherited';

/** Framework ids a control may map to; each is validated against controls/frameworks. */
export const MAPPING_KEYS = ['well-architected', 'shared-responsibility', 'security-hub', 'cis-aws-3.0'] as const;
export type MappingKey = (typeof MAPPING_KEYS)[number];
export type Mappings = Partial<Record<MappingKey, string[]>>;

/** A normalised resource as collectors emit it and rules read it. */
export interface Resource {
  /** ARN, or `AWS::::Account:<id>` for account-level facts (Security Hub's convention). */
  id: string;
  /** CloudFormation-style type, e.g. AWS::S3::Bucket, AWS::::Account. */
  type: string;
  name?: string;
  region?: string;
  /** Per-resource calls that failed (see FieldError); absent when every call succeeded. */
  collectionErrors?: FieldError[];
  /** Set when the resource was built from an AWS Config item (see Provenance). */
  provenance?: Provenance;
  [attribute: string]: unknown;
}

export interface ApiCall {
  service: string;
  action: string;
  requestId?: string;
  at: string;
  ok: boolean;
  errorCode?: string;
}

/**
 * Why a whole service or region refused the auditor, rather than one call or resource: an explicit deny in a
 * service control policy, an opt-in region that is not enabled, a service the account is not subscribed to.
 * Such refusals are reported once per account and region (and service), not as dozens of identical errors.
 */
export const REFUSALS = ['scp-deny', 'region-not-enabled', 'not-subscribed'] as const;
export type Refusal = (typeof REFUSALS)[number];

export interface EvidenceError {
  code: string;
  message: string;
  /** The IAM action whose call failed, e.g. iam:GenerateCredentialReport. */
  action?: string;
  /** Set when the failure refuses the whole service or region (see Refusal). */
  refusal?: Refusal;
}

/**
 * A per-resource call that failed: the fields of the resource it would have filled are left out, and this is
 * recorded on the resource (Resource.collectionErrors). A rule that reads any of these fields gives ERROR for
 * that resource; rules that read only other fields judge it normally.
 */
export interface FieldError {
  /** Top-level resource fields the call would have filled. */
  fields: string[];
  /** The IAM action of the failed call, e.g. s3:GetBucketVersioning. */
  action: string;
  code: string;
  message: string;
}

/**
 * Where a resource's evidence came from, when not only from live API calls at the record's collectedAt: an AWS
 * Config configuration item (issue 11). Absent = live API, collected at the evidence record's collectedAt.
 */
export interface Provenance {
  source: 'config';
  /** configurationItemCaptureTime of the item (ISO 8601). */
  capturedAt: string;
  configurationStateId: string;
  /** Top-level fields the item lacked, read live at the record's collectedAt. */
  liveFields: string[];
  /** Set when the item came through a configuration aggregator. */
  aggregator?: string;
}

/** The reserved resource key holding Provenance. */
export const PROVENANCE = 'provenance';

/**
 * One AWS Config configuration item, decoded: `configuration` and every `supplementaryConfiguration` value are
 * parsed from their JSON strings (once; S3's AccessControlList stays a JSON string inside, as AWS sends it).
 */
export interface ConfigItem {
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  accountId: string;
  /** Region, or `global` for IAM types. */
  awsRegion: string;
  /** ISO 8601. */
  configurationItemCaptureTime: string;
  /** OK | ResourceDiscovered | ResourceNotRecorded | ResourceDeleted | ResourceDeletedNotRecorded */
  configurationItemStatus: string;
  configurationStateId: string;
  configuration: unknown;
  supplementaryConfiguration: Record<string, unknown>;
}

/** The reserved resource key holding FieldError[]. */
export const COLLECTION_ERRORS = 'collectionErrors';

/** One collector's output for one account and region: the file evidence/<account>/<region>/<collector>.json. */
export interface EvidenceRecord {
  schemaVersion: '1';
  collector: { id: string; version: string };
  account: string;
  /** AWS region, or `global` for account-wide collectors. */
  region: string;
  collectedAt: string;
  status: 'ok' | 'error';
  error?: EvidenceError;
  calls: ApiCall[];
  resources: Resource[];
  raw: Record<string, unknown>;
}

export interface RemediationText {
  text: string;
  cli?: string;
  url?: string;
}

/** One failure condition of a rule, stated once: what must hold, and the reason given when it does not. */
export interface RuleCheck {
  /** CEL over `r`; must be true for the resource to pass this check. */
  require: string;
  /** CEL string over `r`; the reason given for a FAIL when `require` is false. */
  message: string;
  /**
   * By default the first check that does not hold decides the FAIL, so later checks may assume earlier ones
   * hold. `continue: true` goes on to the next checks after this one fails, reporting every failing check.
   */
  continue?: boolean;
}

export interface ControlRule {
  /** CEL; evaluates to the list of resources to judge. Default: resources of the first evidence source. */
  resources?: string;
  /** CEL over `r`; resources for which it is false are out of scope. */
  applies?: string;
  /** Evaluated in order; a resource passes when every check holds. */
  checks: RuleCheck[];
  /** CEL string over `r`; the reason given for a PASS (optional). */
  passMessage?: string;
}

/** What a test case expects for one judged resource: a status, or a status and its message (exact or a pattern). */
export type ExpectedResult = Status | { status: Status; message?: string; matches?: string };

export interface ControlTest {
  name: string;
  /** collector id -> resources (the normalised evidence a rule reads). */
  evidence: Record<string, Resource[]>;
  params?: Record<string, unknown>;
  /** The collection time rules see as `now`. */
  now?: string;
  /**
   * Judged resource id -> expected result, for every resource the rule judges (NOT_APPLICABLE: left out by
   * rule.applies). `{}` expects no resource at all.
   */
  expect: Record<string, ExpectedResult>;
}

export interface InheritedEvidence {
  source: string;
  reports: { name: string; period?: string; sha256?: string }[];
}

export interface ControlDefinition {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  severity: Severity;
  kind: ControlKind;
  responsibility: Responsibility;
  mappings: Mappings;
  evidence: string[];
  resourceType?: string;
  rule?: ControlRule;
  params: Record<string, unknown>;
  remediation: RemediationText;
  inherited?: InheritedEvidence;
  tests: ControlTest[];
  /** Where it was loaded from (relative path), for error messages and reports. */
  source: string;
}

/** The approved exception behind a WAIVED result, as recorded on the result. */
export interface AppliedWaiver {
  id: string;
  justification: string;
  approver: string;
  expires: string;
}

export interface ResourceResult {
  resourceId: string;
  resourceType: string;
  account: string;
  region: string;
  status: Status;
  message: string;
  /** sha256:<hex> of the evidence files that produced this result. */
  evidence: string[];
  /** Set when a waiver applies: the status the rule gave, before the exception. */
  originalStatus?: Status;
  /** The waiver that applies (see waivers.yaml). */
  waiver?: AppliedWaiver;
}
