import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectors } from '../../../collectors/index.js';
import { auditorPolicy, securityHubPushPolicy, type IamPolicy } from '../../../src/policy/policy.js';
import { deployTemplate } from '../../../src/policy/templates/index.js';
import { MANAGED_POLICY_LIMIT, splitPolicy } from '../../../src/policy/templates/model.js';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const cfn = (options: Parameters<typeof deployTemplate>[1]) => parse(deployTemplate(collectors, options).text) as { Resources: Resources; Parameters: Record<string, unknown> };
const docsOf = (resources: Resources, prefix: string): IamPolicy[] =>
  Object.entries(resources)
    .filter(([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::IAM::ManagedPolicy')
    .map(([, r]) => r.Properties.PolicyDocument as IamPolicy);
const actions = (docs: IamPolicy[]) => docs.flatMap((d) => d.Statement.flatMap((s) => s.Action));

describe('deploy templates', () => {
  it('CloudFormation: the audit role\'s statements are exactly `auditpack policy` (no drift), the push role\'s the push policy', () => {
    const { Resources, Parameters } = cfn({ format: 'cloudformation', pushRole: true });
    expect(docsOf(Resources, 'AuditPolicy')).toEqual([auditorPolicy(collectors)]);
    expect(docsOf(Resources, 'PushPolicy')).toEqual([securityHubPushPolicy()]);
    expect(Resources.AuditRole?.Type).toBe('AWS::IAM::Role');
    expect(Object.keys(Parameters)).toEqual(['AuditAccountId', 'ExternalId', 'OrganizationId', 'AuditRoleName', 'PushRoleName']);
    expect(JSON.stringify(Resources.AuditRole)).toContain('aws:PrincipalOrgID');
    expect(JSON.stringify(Resources)).not.toContain('SecurityAudit');
  });

  it('is deterministic', () => {
    for (const format of ['cloudformation', 'terraform'] as const)
      for (const stackset of [false, true]) expect(deployTemplate(collectors, { format, stackset, pushRole: true }).text).toBe(deployTemplate(collectors, { format, stackset, pushRole: true }).text);
  });

  it('Terraform: every action, the variables, roles, policies and attachments', () => {
    const { text } = deployTemplate(collectors, { format: 'terraform', pushRole: true });
    for (const a of [...actions([auditorPolicy(collectors)]), ...actions([securityHubPushPolicy()])]) expect(text).toContain(`"${a}"`);
    for (const s of ['variable "audit_account_id"', 'variable "external_id"', 'variable "organization_id"', 'resource "aws_iam_role" "audit"', 'resource "aws_iam_role" "push"', 'resource "aws_iam_policy" "audit_1"', 'resource "aws_iam_role_policy_attachment" "audit_1"'])
      expect(text).toContain(s);
  });

  it('StackSet wrapper: service-managed, auto-deployed, with the member template as its body', () => {
    const { Resources } = cfn({ format: 'cloudformation', stackset: true });
    const props = Resources.AuditRolesStackSet?.Properties ?? {};
    expect(Resources.AuditRolesStackSet?.Type).toBe('AWS::CloudFormation::StackSet');
    expect(props.PermissionModel).toBe('SERVICE_MANAGED');
    expect(props.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: false });
    const member = JSON.parse(props.TemplateBody as string) as { Resources: Resources };
    expect(docsOf(member.Resources, 'AuditPolicy')).toEqual([auditorPolicy(collectors)]);
    expect(deployTemplate(collectors, { format: 'terraform', stackset: true }).text).toContain('permission_model = "SERVICE_MANAGED"');
  });

  it('splits a policy over the managed-policy limit deterministically, losing nothing', () => {
    const many = Array.from({ length: 400 }, (_, i) => `ec2:DescribeSomething${String(i).padStart(3, '0')}`);
    const policy: IamPolicy = { Version: '2012-10-17', Statement: [{ Sid: 'Big', Effect: 'Allow', Action: many, Resource: '*' }] };
    const parts = splitPolicy(policy);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(JSON.stringify(p).length).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    expect(actions(parts)).toEqual(many);
    expect(splitPolicy(policy)).toEqual(parts);
  });

  it('rejects a bad role name in one line naming the flag', () => {
    expect(() => deployTemplate(collectors, { format: 'terraform', roleName: 'no spaces' })).toThrow(/^--role-name: .*fix:/);
  });
});
