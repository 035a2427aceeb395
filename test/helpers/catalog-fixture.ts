import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

/** A temporary controls directory holding the real framework catalogs plus the given control files. */
export async function controlsDirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-controls-'));
  await cp(join(PACKAGE_ROOT, 'controls', 'frameworks'), join(dir, 'frameworks'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** A valid control in the current format (rule.checks, per-resource expectations); tests refer to its line numbers. */
export const VALID_CONTROL = `id: test-root-mfa
title: Root user has MFA enabled
description: The AWS account root user must sign in with MFA.
severity: critical
responsibility: customer
mappings:
  well-architected: [SEC01-BP02]
  shared-responsibility: [customer.iam]
  security-hub: [IAM.9]
  cis-aws-3.0: ["1.5"]
evidence: [iam.account-summary]
rule:
  checks:
    - require: r.rootMfaEnabled
      message: '"no MFA on " + r.id'
remediation:
  text: Enable MFA for the root user.
tests:
  - name: passes
    evidence: { iam.account-summary: [{ id: "AWS::::Account:1", type: "AWS::::Account", rootMfaEnabled: true }] }
    expect: { "AWS::::Account:1": PASS }
  - name: fails
    evidence: { iam.account-summary: [{ id: "AWS::::Account:1", type: "AWS::::Account", rootMfaEnabled: false }] }
    expect: { "AWS::::Account:1": { status: FAIL, message: "no MFA on AWS::::Account:1" } }
`;
