import { checkAccountIds } from '../../collect/scope.js';
import pLimit from 'p-limit';
import { collectors as allCollectors } from '../../../collectors/index.js';
import type { Collector } from '../../core/collector.js';
import { clientsFor } from '../../collect/aws-access.js';
import { CONFIG_SOURCE_PERMISSIONS, ENGINE_PERMISSIONS } from '../../policy/policy.js';
import { checkAccounts } from './accounts.js';
import { checkConfigRecording } from './config-recording.js';
import { checkIdentity } from './identity.js';
import { checkPermissions, principalArn } from './permissions.js';
import { checkRegions, probeRegion } from './regions.js';
import { checkRole } from './role.js';
import { checkSecurityHub } from './securityhub.js';
import { check, type DoctorCheck, type DoctorReport, type RegionClients } from './types.js';

export interface DoctorOptions {
  organization?: boolean;
  accounts?: string[];
  roleName?: string;
  regions?: string[];
  endpoint?: string;
  maxAttempts?: number;
  /** Checks in flight (default 8). */
  concurrency?: number;
  /** Check Security Hub in every account and region (`--push-securityhub`). */
  pushSecurityhub?: boolean;
  homeRegion?: string;
  collectors?: readonly Collector[];
  /** Clients of an account (through the role when given); tests pass fakes. */
  access?: (account: string, roleName: string | undefined) => RegionClients;
}

export type { DoctorCheck, DoctorReport } from './types.js';

/** `auditpack doctor`: every check an audit with these options depends on, each ok, warn or fail with one line. */
export async function doctor(options: DoctorOptions): Promise<DoctorReport> {
  // Usage errors before any AWS call, as `run` gives them.
  if (options.accounts?.length) checkAccountIds(options.accounts);
  const homeRegion = options.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const access =
    options.access ??
    ((account: string, roleName: string | undefined): RegionClients => {
      const clients = clientsFor({ account, endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 2, stsRegion: homeRegion, ...(roleName ? { roleName } : {}) });
      return (region) => clients.forRegion(region);
    });
  const report: DoctorReport = { schema: 'auditpack-doctor/1', accounts: [], regions: { requested: [], enabled: [] }, checks: [], incomplete: true };
  const own = access('caller', undefined)(homeRegion);
  const identity = await checkIdentity(own);
  report.checks.push(identity.check);
  if (!identity.caller) return finish(report);
  const caller = identity.caller;
  report.caller = caller;
  const scope = await checkAccounts(own, caller.account, options);
  const regions = await checkRegions(own, options.regions);
  report.accounts = scope.accounts;
  report.regions = { requested: regions.requested, enabled: regions.enabled };
  report.checks.push(scope.check, ...regions.checks);
  const limit = pLimit(options.concurrency ?? 8);
  const collectors = options.collectors ?? allCollectors;
  const perAccount = await Promise.all(
    scope.accounts.map(async (account): Promise<DoctorCheck[]> => {
      const viaRole = account !== caller.account;
      if (viaRole && !options.roleName) return [check('role', 'fail', `no --role-name to reach account ${account} (fix: pass the audit role deployed in every account)`, { account })];
      const clients = access(account, viaRole ? options.roleName : undefined);
      const checks: DoctorCheck[] = [];
      if (viaRole && options.roleName) {
        const role = await limit(() => checkRole(account, options.roleName ?? '', clients(homeRegion)));
        checks.push(role);
        if (role.status === 'fail') return checks;
      }
      const principal = viaRole ? `arn:aws:iam::${account}:role/${options.roleName ?? ''}` : principalArn(caller.arn);
      const extra = [...ENGINE_PERMISSIONS, ...CONFIG_SOURCE_PERMISSIONS];
      const [permissions, ...regional] = await Promise.all([
        limit(() => checkPermissions(account, principal, collectors, extra, clients(homeRegion))),
        ...regions.requested.map((region) => regionChecks(account, region, homeRegion, clients(region), limit, options.pushSecurityhub === true)),
      ]);
      checks.push(...(permissions ? [permissions] : []), ...regional.flat());
      return checks;
    }),
  );
  report.checks.push(...perAccount.flat());
  return finish(report);
}

type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

/** The probe, then (only where it answered, so a refused region is reported once) Config and Security Hub. */
async function regionChecks(account: string, region: string, homeRegion: string, clients: ReturnType<RegionClients>, limit: Limit, push: boolean): Promise<DoctorCheck[]> {
  const probe = await limit(() => probeRegion(account, region, homeRegion, clients));
  if (probe.status === 'fail') return [probe];
  const checks = [probe, await limit(() => checkConfigRecording(account, region, clients))];
  if (push) checks.push(await limit(() => checkSecurityHub(account, region, clients)));
  return checks;
}

function finish(report: DoctorReport): DoctorReport {
  return { ...report, incomplete: report.checks.some((c) => c.status === 'fail') };
}
