import type { AwsSecurityFinding, ComplianceStatus, RecordState, WorkflowStatus } from '@aws-sdk/client-securityhub';
import { archivedCopy, ID_PREFIX, productArn, SCHEMA_VERSION } from './asff.js';

/**
 * Which findings a push creates, updates, archives or leaves alone, decided from what the previous push left in
 * Security Hub. Pure: the caller fetches the history (previous pack or GetFindings) and sends the plan.
 */

export const FINDINGS_FILE = 'findings.asff.json';
export const PUSHED_FILE = 'securityhub-pushed.json';
/** Security Hub deletes archived findings after 90 days; remembering them longer serves no purpose. */
export const RETAIN_ARCHIVED_DAYS = 90;

/** One finding as a push left it in Security Hub (an entry of securityhub-pushed.json). */
export interface PushedFinding {
  id: string;
  account: string;
  region: string;
  productArn: string;
  generatorId: string;
  createdAt: string;
  firstObservedAt?: string;
  updatedAt: string;
  recordState: RecordState;
  complianceStatus?: ComplianceStatus;
  /** True when auditpack suppressed it for a waiver (so auditpack, and only auditpack, may un-suppress it). */
  waived: boolean;
  resourceType: string;
  resourceId: string;
  title: string;
}

/** securityhub-pushed.json: the Ids a push left in Security Hub, read back by the next push (--previous). */
export interface PushRecord {
  schemaVersion: '1';
  runId: string;
  manifestSha256: string;
  pushedAt: string;
  findings: PushedFinding[];
}

/**
 * An earlier finding: its record, and its full content when known (GetFindings, or re-derived from the signed
 * results of a previous pack).
 */
export interface PreviousFinding {
  record: PushedFinding;
  finding?: AwsSecurityFinding;
  /**
   * auditpack meant to suppress it (`record.waived`) but the push history says the suppression did not happen:
   * suppress it again if it is still waived. Never a reason to reopen anything.
   */
  resuppress?: boolean;
}

export function targetKey(account: string, region: string): string {
  return `${account}|${region}`;
}

/**
 * Ours = our product ARN for this account and region, our generator prefix and our Id prefix. GetFindings
 * filters say the same, but moto ignores filters and a filter is no proof: anything else is never touched.
 */
export function isOwnFinding(f: Pick<AwsSecurityFinding, 'Id' | 'ProductArn' | 'GeneratorId' | 'AwsAccountId'>, account: string, region: string): boolean {
  return (
    f.ProductArn === productArn(region, account) &&
    f.AwsAccountId === account &&
    typeof f.GeneratorId === 'string' &&
    f.GeneratorId.startsWith(ID_PREFIX) &&
    typeof f.Id === 'string' &&
    f.Id.startsWith(ID_PREFIX)
  );
}

export function recordOf(finding: AwsSecurityFinding): PushedFinding {
  const resource = finding.Resources?.[0];
  return {
    id: finding.Id ?? '',
    account: finding.AwsAccountId ?? '',
    region: finding.Region ?? '',
    productArn: finding.ProductArn ?? '',
    generatorId: finding.GeneratorId ?? '',
    createdAt: finding.CreatedAt ?? '',
    ...(finding.FirstObservedAt ? { firstObservedAt: finding.FirstObservedAt } : {}),
    updatedAt: finding.UpdatedAt ?? '',
    recordState: finding.RecordState ?? 'ACTIVE',
    ...(finding.Compliance?.Status ? { complianceStatus: finding.Compliance.Status } : {}),
    waived: Boolean(finding.ProductFields?.['auditpack/WaiverReason']),
    resourceType: resource?.Type ?? 'Other',
    resourceId: resource?.Id ?? '',
    title: finding.Title ?? '',
  };
}

/** A finding Security Hub returned (GetFindings), as history. */
export function previousFromHub(finding: AwsSecurityFinding): PreviousFinding {
  return { record: recordOf(finding), finding };
}

/** A minimal valid finding for an Id whose full content is unknown (its findings.asff.json was lost). */
export function tombstone(record: PushedFinding, updatedAt: string): AwsSecurityFinding {
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: record.id,
    ProductArn: record.productArn,
    GeneratorId: record.generatorId,
    AwsAccountId: record.account,
    Region: record.region,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    CreatedAt: record.createdAt,
    UpdatedAt: updatedAt,
    Severity: { Label: 'INFORMATIONAL' },
    Title: record.title || 'auditpack finding',
    Description: 'The resource of this finding was not present in the latest auditpack run; the finding is archived.',
    Resources: [{ Type: record.resourceType, Id: record.resourceId, Region: record.region }],
    RecordState: 'ARCHIVED',
  };
}

/**
 * Findings of the previous push that this push does not re-import: those still ACTIVE whose control, account
 * and region this run evaluated are archived (their resource no longer exists); those already ARCHIVED need
 * nothing, and those outside this run's scope (a run limited to some controls or regions) are left alone.
 */
export function planArchives(
  currentIds: ReadonlySet<string>,
  previous: Iterable<PreviousFinding>,
  updatedAt: string,
  runId: string,
  inScope: (record: PushedFinding) => boolean = () => true,
): AwsSecurityFinding[] {
  const archives: AwsSecurityFinding[] = [];
  for (const p of previous) {
    if (currentIds.has(p.record.id) || p.record.recordState === 'ARCHIVED' || !inScope(p.record)) continue;
    archives.push(p.finding ? archivedCopy(p.finding, updatedAt, runId) : tombstone(p.record, updatedAt));
  }
  return archives.sort((a, b) => (a.Id ?? '').localeCompare(b.Id ?? ''));
}

/** One BatchUpdateFindings call's worth: the same workflow status and note for a set of Ids. */
export interface WorkflowUpdate {
  status: WorkflowStatus;
  note: string;
  ids: string[];
}

/**
 * BatchImportFindings cannot change Workflow once a finding exists (it belongs to the Security Hub user), so
 * waivers go through BatchUpdateFindings: a waived result is SUPPRESSED with the waiver reason as note, and a
 * finding auditpack suppressed earlier whose waiver is gone is reopened (NEW, or RESOLVED if it now passes).
 * Findings a user suppressed by hand are never reopened: only `waived` records (auditpack's own) qualify.
 */
export function planWorkflow(current: readonly AwsSecurityFinding[], previous: ReadonlyMap<string, PreviousFinding>): WorkflowUpdate[] {
  const groups = new Map<string, WorkflowUpdate>();
  const add = (status: WorkflowStatus, note: string, id: string) => {
    const key = `${status}\n${note}`;
    const group = groups.get(key) ?? { status, note, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  };
  for (const f of current) {
    const id = f.Id ?? '';
    const waiver = f.ProductFields?.['auditpack/WaiverReason'];
    const earlier = previous.get(id);
    const before = earlier?.record;
    if (waiver) {
      if (!before?.waived || earlier?.resuppress) add('SUPPRESSED', `Waived: ${waiver}`.slice(0, 512), id);
    } else if (before?.waived) {
      add(f.Compliance?.Status === 'PASSED' ? 'RESOLVED' : 'NEW', 'Waiver no longer applies (auditpack)', id);
    }
  }
  return [...groups.values()].sort((a, b) => a.status.localeCompare(b.status) || a.note.localeCompare(b.note));
}

function ageDays(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

/**
 * What this push leaves in Security Hub for one account and region: every current finding that was imported;
 * the previous entry of a current finding that failed (so its CreatedAt survives and the next push retries);
 * vanished findings just archived, or still ACTIVE because archiving failed (retried next time); and archived
 * ones younger than Security Hub's 90-day retention.
 */
export function nextRecords(args: {
  imported: readonly AwsSecurityFinding[];
  failedIds: ReadonlySet<string>;
  currentIds: ReadonlySet<string>;
  previous: Iterable<PreviousFinding>;
  archived: readonly AwsSecurityFinding[];
  pushedAt: string;
}): PushedFinding[] {
  const out = new Map<string, PushedFinding>();
  for (const f of args.imported) out.set(f.Id ?? '', recordOf(f));
  for (const f of args.archived) out.set(f.Id ?? '', recordOf(f));
  for (const p of args.previous) {
    if (out.has(p.record.id)) continue;
    const failedNow = args.failedIds.has(p.record.id);
    const forgotten = !args.currentIds.has(p.record.id) && p.record.recordState === 'ARCHIVED' && ageDays(p.record.updatedAt, args.pushedAt) > RETAIN_ARCHIVED_DAYS;
    if (failedNow || !forgotten) out.set(p.record.id, p.record);
  }
  return [...out.values()].sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.id.localeCompare(b.id));
}

/** Control id of one of our generator ids (`auditpack/<control>`). */
export function controlOf(generator: string): string {
  return generator.startsWith(ID_PREFIX) ? generator.slice(ID_PREFIX.length) : '';
}

export interface RunScope {
  accounts: readonly string[];
  regions: readonly string[];
  /** Evaluated automated controls -> true when all their evidence is account-wide (they cover every region). */
  controls: ReadonlyMap<string, boolean>;
}

/**
 * Whether this run evaluated the (control, account, region) of an earlier finding, i.e. whether its absence now
 * means the resource is gone. Account-wide controls (all evidence account-scope, e.g. S3 buckets of every
 * region) cover any region; regional ones only the run's regions.
 */
export function evaluatedBy(scope: RunScope): (record: PushedFinding) => boolean {
  return (record) => {
    const accountWide = scope.controls.get(controlOf(record.generatorId));
    if (accountWide === undefined || !scope.accounts.includes(record.account)) return false;
    return accountWide || scope.regions.includes(record.region);
  };
}
