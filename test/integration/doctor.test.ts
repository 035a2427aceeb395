import { CreateAccountCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../../src/collect/aws-access.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import type { DoctorReport } from '../../src/pipeline/doctor/types.js';
import { cliInProcess } from '../helpers/cli.js';
import { useSeededEstate } from '../helpers/estate.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

/**
 * `auditpack doctor` against moto: the demo organisation (management + member with the role) and one more account
 * created without the role, so doctor must name that account and exit 3; through the fault proxy, a region that
 * refuses the credentials is reported once per account and region.
 */

const seeded = useSeededEstate();
let orphan = '';
let proxy: FaultProxy;

beforeAll(async () => {
  const org = clientsFor({ account: 'management', endpoint: seeded.moto.endpoint, maxAttempts: 2 }).forRegion('us-east-1').get(OrganizationsClient);
  // An account whose creation role has another name: the audit role is missing there.
  const request = await org.send(new CreateAccountCommand({ AccountName: 'no-audit-role', Email: 'aws-no-audit-role@example.com', RoleName: 'SomeOtherRole' }));
  const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus?.Id }));
  orphan = status.CreateAccountStatus?.AccountId ?? '';
  proxy = await startFaultProxy(seeded.moto.endpoint, { seed: 13 });
});
afterAll(async () => {
  await proxy.close();
});

const scope = (endpoint: string): string[] => ['doctor', '--organization', '--role-name', DEMO_ROLE, '--regions', 'us-east-1,eu-west-1', '--endpoint', endpoint];

describe('auditpack doctor', () => {
  it('names the account whose role is missing and exits 3', async () => {
    const result = await cliInProcess(scope(seeded.moto.endpoint));
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`role ${DEMO_ROLE} cannot be assumed in ${orphan}: the role does not exist`);
    expect(result.stdout).toMatch(/the audit would be incomplete\n$/);
    const fails = result.stdout.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(fails, result.stdout).toHaveLength(1);
  });

  it('--json: the stable schema, every account and region checked', async () => {
    const result = await cliInProcess([...scope(seeded.moto.endpoint), '--json']);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as DoctorReport;
    const { management, member } = seeded.estate;
    expect(Object.keys(report).sort()).toEqual(['accounts', 'caller', 'checks', 'incomplete', 'regions', 'schema']);
    expect(report.schema).toBe('auditpack-doctor/1');
    expect(report.incomplete).toBe(true);
    expect(report.caller?.account).toBe(management);
    expect(report.accounts).toEqual([management, member, orphan].sort());
    expect(report.regions.requested).toEqual(['eu-west-1', 'us-east-1']);
    for (const c of report.checks) {
      expect(['ok', 'warn', 'fail']).toContain(c.status);
      expect(c.reason).not.toContain('\n');
    }
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([{ check: 'role', status: 'fail', account: orphan, reason: expect.stringContaining(`cannot be assumed in ${orphan}`) as unknown }]);
    expect(report.checks.find((c) => c.check === 'role' && c.account === member)?.status).toBe('ok');
    for (const account of [management, member]) {
      expect(report.checks.filter((c) => c.check === 'region-probe' && c.account === account && c.status === 'ok').map((c) => c.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
      // moto gap: no iam:SimulatePrincipalPolicy, so the permissions are "not simulated" (a warning, never ok).
      expect(report.checks.find((c) => c.check === 'permissions' && c.account === account)).toMatchObject({ status: 'warn', reason: expect.stringMatching(/^not simulated/) as unknown });
    }
  });

  it('a region refused outright is reported once per account and region', async () => {
    proxy.setRules([{ match: { region: 'eu-west-1' }, fault: 'region-not-enabled' }]);
    const result = await cliInProcess([...scope(proxy.endpoint), '--json']);
    proxy.setRules([]);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as DoctorReport;
    const refused = report.checks.filter((c) => c.region === 'eu-west-1');
    expect(refused.map((c) => `${c.check}:${c.status}:${c.account ?? ''}`).sort()).toEqual([`region-probe:fail:${seeded.estate.management}`, `region-probe:fail:${seeded.estate.member}`].sort());
    for (const c of refused) expect(c.reason).toMatch(/^refused \(region-not-enabled\): region eu-west-1 is not enabled for this account/);
    expect(report.checks.filter((c) => c.region === 'us-east-1' && c.check === 'region-probe').every((c) => c.status === 'ok')).toBe(true);
  });
});
