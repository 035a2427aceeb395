import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordAttestation } from '../workflow/attestations.js';

/**
 * The demo's audit workflow: an approved waiver for the log-archive buckets, a manual attestation of the incident
 * response plan, and the AWS SOC 2 report for an inherited control. The documents are stand-ins, and say so.
 */
export async function prepareDemoWorkflow(dir: string, now: Date = new Date()): Promise<{ waivers: string; attestations: string }> {
  await mkdir(dir, { recursive: true });
  const day = (offset: number): string => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const waivers = join(dir, 'waivers.yaml');
  await writeFile(
    waivers,
    `# Demo waivers: approved, time-limited exceptions (schemas/waivers.schema.json).
waivers:
  - id: RISK-DEMO-001
    control: s3-bucket-access-logging
    resources: ["arn:aws:s3:::auditpack-logs-*"]
    justification: CloudTrail log-archive buckets would log their own access recursively; CloudTrail data events cover them instead.
    approver: Jane Doe (CISO, demo)
    approved: ${day(-30)}
    expires: ${day(150)}
  - id: RISK-DEMO-002
    control: iam-root-hardware-mfa
    justification: Hardware MFA keys for the root users are on order; virtual MFA is the interim control (demo waiver that matches nothing in moto).
    approver: Jane Doe (CISO, demo)
    approved: ${day(-400)}
    expires: ${day(-35)}
`,
  );
  const attestations = join(dir, 'attestations');
  const plan = join(dir, 'incident-response-plan.md');
  await writeFile(plan, '# Incident response plan (DEMO stand-in document)\n\nRoles, escalation, playbooks and the last game day would be described here.\n');
  const soc2 = join(dir, 'aws-soc2-type2-report.txt');
  await writeFile(soc2, 'DEMO stand-in for the AWS SOC 2 Type II report downloaded from AWS Artifact.\n');
  await recordAttestation({
    control: { id: 'manual-incident-response-plan', kind: 'manual' },
    controlId: 'manual-incident-response-plan',
    by: 'Sam Lee (Head of Security Operations, demo)',
    file: plan,
    expires: day(365),
    statement: 'The incident response plan was reviewed and exercised in a game day this quarter.',
    store: attestations,
    now,
  });
  await recordAttestation({
    control: { id: 'inherited-physical-security', kind: 'inherited' },
    controlId: 'inherited-physical-security',
    by: 'Audit team (demo)',
    file: soc2,
    expires: day(180),
    period: `${day(-365)} to ${day(-30)}`,
    statement: 'AWS SOC 2 Type II report obtained from AWS Artifact; complementary user entity controls reviewed.',
    store: attestations,
    now,
  });
  return { waivers, attestations };
}
