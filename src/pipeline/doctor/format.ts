import type { DoctorReport } from './types.js';

/** Exit code of `doctor` when any check fails: the audit would be incomplete (as `run`'s 3). */
export const DOCTOR_INCOMPLETE_EXIT_CODE = 3;

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** The report as a table: status, check, where, reason; then one verdict line. */
export function formatDoctor(report: DoctorReport): string {
  const rows = report.checks.map((c) => [MARK[c.status], c.check, [c.account, c.region].filter(Boolean).join('/') || '-', c.reason.replace(/[\r\n]+/g, ' ')] as const);
  const width = (i: 1 | 2): number => Math.max(i === 1 ? 5 : 5, ...rows.map((r) => r[i].length));
  const lines = [`${'STATUS'.padEnd(6)} ${'CHECK'.padEnd(width(1))} ${'WHERE'.padEnd(width(2))} REASON`];
  for (const r of rows) lines.push(`${r[0].padEnd(6)} ${r[1].padEnd(width(1))} ${r[2].padEnd(width(2))} ${r[3]}`);
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(fails ? `doctor: ${fails} check(s) failed, ${warns} warning(s): the audit would be incomplete` : `doctor: all checks passed${warns ? ` (${warns} warning(s))` : ''}`);
  return lines.join('\n');
}
