import type { ClientProvider } from '../../core/collector.js';

/** One doctor finding: `ok`, `warn` (the audit runs, but not as well as it could) or `fail` (it would be incomplete). */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export type CheckName = 'identity' | 'accounts' | 'regions' | 'role' | 'region-probe' | 'permissions' | 'config-recording' | 'securityhub';

export interface DoctorCheck {
  check: CheckName;
  status: CheckStatus;
  account?: string;
  region?: string;
  /** One line: what was found and, for warn or fail, the fix. */
  reason: string;
}

/** `auditpack doctor --json`: a stable schema (`schema` changes when a field does). */
export interface DoctorReport {
  schema: 'auditpack-doctor/1';
  caller?: { account: string; arn: string };
  accounts: string[];
  regions: { requested: string[]; enabled: string[] };
  checks: DoctorCheck[];
  /** True when any check failed: the audit would be incomplete. */
  incomplete: boolean;
}

/** Clients of one account, for a region. */
export type RegionClients = (region: string) => ClientProvider;

export function check(name: CheckName, status: CheckStatus, reason: string, where: { account?: string; region?: string } = {}): DoctorCheck {
  return { check: name, status, ...(where.account ? { account: where.account } : {}), ...(where.region ? { region: where.region } : {}), reason };
}

/** The first line of an error, as `Name: message`, never a stack. */
export function errorLine(err: unknown): string {
  const e = err as { name?: string; message?: string };
  const message = (e.message ?? String(err)).split('\n')[0]?.trim() ?? '';
  const text = e.name && e.name !== 'Error' && !message.startsWith(e.name) ? `${e.name}: ${message}` : message;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

export function errorName(err: unknown): string {
  return (err as { name?: string }).name ?? '';
}
