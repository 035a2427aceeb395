import type { AwsSecurityFinding, ComplianceStatus, Partition, SeverityLabel, WorkflowStatus } from '@aws-sdk/client-securityhub';
import { sha256Hex } from '../../core/fs.js';
import type { ResourceResult, Severity, Status } from '../../core/types.js';
import type { ControlResult } from '../../results/types.js';

/**
 * Maps one control × resource result to an AWS Security Finding Format (ASFF) finding. Pure: every value comes
 * from the pack (results.json, run.json, manifest) and the timestamps the caller passes, so the same pack and
 * history give the same finding.
 */

export const SCHEMA_VERSION = '2018-10-08';
/** Prefix of every Id and GeneratorId we create: what tells our findings apart from every other product's. */
export const ID_PREFIX = 'auditpack/';

/** ASFF field limits (AwsSecurityFinding API reference). */
export const LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  relatedRequirements: 32,
  productFieldValue: 2048,
  statusReasonDescription: 2048,
  findingBytes: 240 * 1024,
} as const;

/** Evidence files named in ProductFields; beyond this the list is trimmed with a note (50 fields in all). */
export const MAX_EVIDENCE_FIELDS = 20;

/**
 * A result as exported. A WAIVED result (see waivers.yaml) keeps its original status for Compliance.Status and is
 * suppressed in the Security Hub workflow.
 */
export type ExportableResult = ResourceResult;

/** What a finding needs from the pack beyond the result itself. */
export interface FindingContext {
  runId: string;
  /** sha256 hex of the pack's manifest.json: the finding leads back to the sealed evidence. */
  manifestSha256: string;
  /** Where results with region `global` (account-wide controls) are sent. */
  homeRegion: string;
  /** sha256 hex -> pack path, from the manifest. */
  evidencePaths: ReadonlyMap<string, string>;
  /** When the evidence was observed (the run's end). */
  observedAt: string;
  /** Push time: UpdatedAt, and CreatedAt of a finding never pushed before. */
  updatedAt: string;
}

/** What an earlier push recorded for the same Id. */
export interface FindingHistory {
  createdAt: string;
  firstObservedAt?: string;
}

const SEVERITY_LABEL: Record<Severity, SeverityLabel> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  informational: 'INFORMATIONAL',
};

const STANDARDS = {
  'well-architected': { requirement: 'AWS Well-Architected Framework Security Pillar', type: 'AWS Well-Architected Framework Security Pillar' },
  'security-hub': { requirement: 'AWS Foundational Security Best Practices v1.0.0', type: 'AWS-Foundational-Security-Best-Practices' },
  'cis-aws-3.0': { requirement: 'CIS AWS Foundations Benchmark v3.0.0', type: 'CIS AWS Foundations Benchmark' },
} as const;

const BASE_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';
const STANDARDS_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards';

/** CloudFormation type -> ASFF resource type (docs: "Resources" in the ASFF syntax); anything else is `Other`. */
const RESOURCE_TYPES: Record<string, string> = {
  'AWS::::Account': 'AwsAccount',
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::IAM::User': 'AwsIamUser',
  'AWS::IAM::Role': 'AwsIamRole',
  'AWS::IAM::Group': 'AwsIamGroup',
  'AWS::IAM::Policy': 'AwsIamPolicy',
  'AWS::IAM::ManagedPolicy': 'AwsIamPolicy',
  'AWS::IAM::AccessKey': 'AwsIamAccessKey',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::EC2::Instance': 'AwsEc2Instance',
  'AWS::EC2::Volume': 'AwsEc2Volume',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::EC2::Subnet': 'AwsEc2Subnet',
  'AWS::EC2::NetworkAcl': 'AwsEc2NetworkAcl',
  'AWS::EC2::NetworkInterface': 'AwsEc2NetworkInterface',
  'AWS::RDS::DBInstance': 'AwsRdsDbInstance',
  'AWS::RDS::DBCluster': 'AwsRdsDbCluster',
  'AWS::RDS::DBSnapshot': 'AwsRdsDbSnapshot',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::Lambda::Function': 'AwsLambdaFunction',
  'AWS::SecretsManager::Secret': 'AwsSecretsManagerSecret',
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::GuardDuty::Detector': 'AwsGuardDutyDetector',
  'AWS::DynamoDB::Table': 'AwsDynamoDbTable',
  'AWS::EFS::AccessPoint': 'AwsEfsAccessPoint',
};

export function asffResourceType(cloudFormationType: string): string {
  return RESOURCE_TYPES[cloudFormationType] ?? 'Other';
}

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Custom-integration product ARN: findings a customer account imports about itself. */
export function productArn(region: string, account: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

export function generatorId(controlId: string): string {
  const id = `${ID_PREFIX}${controlId}`;
  return id.length <= LIMITS.generatorId ? id : `${ID_PREFIX}${sha256Hex(controlId)}`;
}

/**
 * Stable per control, account, region (as in results.json: `global` stays `global`) and resource. The resource
 * id is hashed so ARNs of any length give a short, fixed-size Id; 96 bits make collisions within one control,
 * account and region negligible.
 */
export function findingId(controlId: string, account: string, region: string, resourceId: string): string {
  const id = `${ID_PREFIX}${controlId}/${account}/${region}/${sha256Hex(resourceId).slice(0, 24)}`;
  return id.length <= LIMITS.id ? id : `${ID_PREFIX}${sha256Hex(id)}`;
}

/** Account-wide results (region `global`) go to the run's home region; everything else where it lives. */
export function targetRegion(resultRegion: string, homeRegion: string): string {
  return resultRegion === 'global' ? homeRegion : resultRegion;
}

/** Only judged results become findings: MANUAL, INHERITED and NOT_APPLICABLE say nothing about a resource. */
export function isExportable(control: Pick<ControlResult, 'kind'>, result: Pick<ResourceResult, 'status'>): boolean {
  return control.kind === 'automated' && ['PASS', 'FAIL', 'ERROR', 'WAIVED'].includes(result.status);
}

export function truncate(text: string, max: number, note = ' … (truncated; full text in results.json)'): string {
  if (text.length <= max) return text;
  if (max <= note.length) return text.slice(0, max);
  return text.slice(0, max - note.length) + note;
}

export function relatedRequirements(mappings: ControlResult['mappings']): { requirements: string[]; trimmed: number } {
  const all: string[] = [];
  for (const key of ['well-architected', 'security-hub', 'cis-aws-3.0'] as const) {
    for (const id of mappings[key] ?? []) all.push(`${STANDARDS[key].requirement}/${id}`);
  }
  return { requirements: all.slice(0, LIMITS.relatedRequirements), trimmed: Math.max(0, all.length - LIMITS.relatedRequirements) };
}

export function findingTypes(mappings: ControlResult['mappings']): string[] {
  const types = [BASE_TYPE];
  for (const key of ['well-architected', 'security-hub', 'cis-aws-3.0'] as const) {
    if (mappings[key]?.length) types.push(`${STANDARDS_TYPE}/${STANDARDS[key].type}`);
  }
  return types;
}

/** The status Compliance.Status reports: a waived result keeps its original verdict. */
function judgedStatus(result: ExportableResult): Status {
  return result.status === 'WAIVED' ? (result.originalStatus ?? 'FAIL') : result.status;
}

export function complianceStatus(status: Status): ComplianceStatus {
  if (status === 'PASS') return 'PASSED';
  if (status === 'FAIL') return 'FAILED';
  return 'NOT_AVAILABLE';
}

export function workflowStatus(result: ExportableResult): WorkflowStatus {
  if (result.status === 'WAIVED') return 'SUPPRESSED';
  return result.status === 'PASS' ? 'RESOLVED' : 'NEW';
}

function evidenceFields(hashes: readonly string[], ctx: FindingContext): Record<string, string> {
  const fields: Record<string, string> = {};
  const shown = hashes.slice(0, MAX_EVIDENCE_FIELDS);
  shown.forEach((hash, i) => {
    const hex = hash.replace(/^sha256:/, '');
    const path = ctx.evidencePaths.get(hex);
    fields[`auditpack/Evidence/${i + 1}`] = truncate(path ? `${hash} ${path}` : hash, LIMITS.productFieldValue, '');
  });
  if (hashes.length > shown.length) fields['auditpack/EvidenceTrimmed'] = `${shown.length} of ${hashes.length} evidence files listed; every one is in results.json and manifest.json of run ${ctx.runId}`;
  return fields;
}

/** The finding for one result. `history` keeps CreatedAt (and FirstObservedAt) of an Id pushed before. */
export function toFinding(control: ControlResult, result: ExportableResult, ctx: FindingContext, history?: FindingHistory): AwsSecurityFinding {
  const region = targetRegion(result.region, ctx.homeRegion);
  const status = judgedStatus(result);
  const compliance = complianceStatus(status);
  const { requirements, trimmed } = relatedRequirements(control.mappings);
  const types = findingTypes(control.mappings);
  const severity = { Label: status === 'PASS' ? 'INFORMATIONAL' : SEVERITY_LABEL[control.severity], Original: control.severity } as const;
  const recommendation = [control.remediation.text, control.remediation.cli ? `CLI: ${control.remediation.cli}` : ''].filter(Boolean).join(' ');
  const productFields: Record<string, string> = {
    'auditpack/RunId': ctx.runId,
    'auditpack/ManifestSha256': ctx.manifestSha256,
    'auditpack/ControlId': control.id,
    'auditpack/Status': result.status,
    'auditpack/ResourceType': result.resourceType,
    'auditpack/ResultRegion': result.region,
    ...evidenceFields(result.evidence, ctx),
  };
  if (trimmed) productFields['auditpack/RequirementsTrimmed'] = `${trimmed} related requirements omitted (limit ${LIMITS.relatedRequirements}); see the control's mappings`;
  if (result.waiver) {
    productFields['auditpack/WaiverId'] = result.waiver.id;
    productFields['auditpack/WaiverReason'] = truncate(result.waiver.justification, LIMITS.productFieldValue);
    productFields['auditpack/WaiverApprovedBy'] = truncate(result.waiver.approver, LIMITS.productFieldValue, '');
    productFields['auditpack/WaiverExpiresAt'] = result.waiver.expires;
  }
  const asffType = asffResourceType(result.resourceType);
  const finding: AwsSecurityFinding = {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(control.id, result.account, result.region, result.resourceId),
    ProductArn: productArn(region, result.account),
    ProductName: 'auditpack',
    CompanyName: 'auditpack',
    GeneratorId: generatorId(control.id),
    AwsAccountId: result.account,
    Region: region,
    Types: types,
    CreatedAt: history?.createdAt ?? ctx.updatedAt,
    UpdatedAt: ctx.updatedAt,
    FirstObservedAt: history?.firstObservedAt ?? history?.createdAt ?? ctx.observedAt,
    LastObservedAt: ctx.observedAt,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: types },
    Title: truncate(control.title, LIMITS.title, '…'),
    Description: truncate(`${result.message}\n\n${control.description}`.trim(), LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: truncate(recommendation || 'See the control description.', LIMITS.recommendationText, '…'),
        ...(control.remediation.url ? { Url: control.remediation.url } : {}),
      },
    },
    ProductFields: productFields,
    Resources: [
      {
        Type: asffType,
        Id: result.resourceId,
        Partition: partitionOf(region),
        Region: region,
        ...(asffType === 'Other' ? { Details: { Other: { CloudFormationType: result.resourceType } } } : {}),
      },
    ],
    Compliance: {
      Status: compliance,
      RelatedRequirements: requirements,
      ...(compliance === 'NOT_AVAILABLE'
        ? { StatusReasons: [{ ReasonCode: result.message.startsWith('evidence ') ? 'AUDITPACK_EVIDENCE_ERROR' : 'AUDITPACK_RULE_ERROR', Description: truncate(result.message, LIMITS.statusReasonDescription) }] }
        : {}),
    },
    // Applied when the finding is created; later changes go through BatchUpdateFindings (see lifecycle.ts).
    Workflow: { Status: workflowStatus(result) },
    RecordState: status === 'PASS' ? 'ARCHIVED' : 'ACTIVE',
  };
  return finding;
}

export function findingBytes(finding: AwsSecurityFinding): number {
  return Buffer.byteLength(JSON.stringify(finding));
}

/**
 * Enforces the 240 KB limit on one finding: trims the evidence list (with a note), then the description.
 * Returns undefined when even that does not fit, so the caller reports the finding as failed, never drops it.
 */
export function fitFinding(finding: AwsSecurityFinding, maxBytes: number = LIMITS.findingBytes): AwsSecurityFinding | undefined {
  if (findingBytes(finding) <= maxBytes) return finding;
  const fields = { ...(finding.ProductFields ?? {}) };
  const evidenceKeys = Object.keys(fields).filter((k) => k.startsWith('auditpack/Evidence/'));
  for (const key of evidenceKeys.slice(1)) delete fields[key];
  if (evidenceKeys.length > 1) fields['auditpack/EvidenceTrimmed'] = `1 of ${evidenceKeys.length}+ evidence files listed (finding size limit); every one is in results.json of the pack`;
  let trimmed: AwsSecurityFinding = { ...finding, ProductFields: fields };
  if (findingBytes(trimmed) <= maxBytes) return trimmed;
  trimmed = { ...trimmed, Description: truncate(trimmed.Description ?? '', 256) };
  return findingBytes(trimmed) <= maxBytes ? trimmed : undefined;
}

/** Fields we set (and only those) when re-importing an earlier finding to archive it. */
const OWN_FIELDS = [
  'SchemaVersion', 'Id', 'ProductArn', 'ProductName', 'CompanyName', 'GeneratorId', 'AwsAccountId', 'Region', 'Types', 'CreatedAt', 'UpdatedAt',
  'FirstObservedAt', 'LastObservedAt', 'Severity', 'FindingProviderFields', 'Title', 'Description', 'Remediation', 'ProductFields', 'Resources',
  'Compliance', 'RecordState',
] as const satisfies readonly (keyof AwsSecurityFinding)[];

/** Security Hub adds reserved `aws/...` product fields to stored findings; they must not be sent back. */
function ownProductFields(fields: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(fields ?? {}).filter(([key]) => !key.startsWith('aws/')));
}

/**
 * An earlier finding whose resource is gone, re-imported as ARCHIVED. Only our own fields are copied: fields a
 * Security Hub user owns (Workflow, Note, UserDefinedFields) or the service sets (ProcessedAt) are left alone.
 */
export function archivedCopy(previous: AwsSecurityFinding, updatedAt: string, runId: string): AwsSecurityFinding {
  const copy = Object.fromEntries(OWN_FIELDS.filter((key) => previous[key] !== undefined).map((key) => [key, previous[key]])) as Partial<AwsSecurityFinding>;
  return {
    ...(copy as AwsSecurityFinding),
    UpdatedAt: updatedAt,
    RecordState: 'ARCHIVED',
    ProductFields: { ...ownProductFields(previous.ProductFields), 'auditpack/ArchivedBy': runId, 'auditpack/ArchivedReason': 'resource not present in this run' },
  };
}
