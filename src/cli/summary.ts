import type { ResultsDocument } from '../results/types.js';
import { SEVERITIES, type Severity } from '../core/types.js';
import { printable } from '../core/text.js';

/** Human summary of a results document for the terminal. */
export function formatSummary(results: ResultsDocument, packDir: string): string {
  const s = results.summary;
  const lines: string[] = [];
  lines.push(`auditpack ${results.run.tool.version} · run ${results.run.id}`);
  lines.push(`accounts ${results.run.accounts.join(', ')} · regions ${results.run.regions.join(', ')}`);
  lines.push(`score ${s.score ?? 'n/a'} / 100 (severity-weighted share of passing controls)`);
  const statusLine = Object.entries(s.byStatus)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ');
  lines.push(`controls: ${statusLine}`);
  lines.push(
    `resources: ${Object.entries(s.resultsByStatus)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(' · ')}`,
  );
  // Whole regions or services that refused the auditor: stated once here, not once per control that needed them.
  const refusals = s.refusals ?? [];
  if (refusals.length) {
    lines.push('');
    for (const r of refusals) lines.push(`refused: ${printable(r.message)}`);
  }
  const failing = results.controls
    .filter((c) => c.status === 'FAIL' || c.status === 'ERROR')
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id));
  if (failing.length) {
    lines.push('', 'failing or errored controls:');
    for (const c of failing) {
      const bad = c.counts.FAIL + c.counts.ERROR;
      lines.push(`  ${c.status.padEnd(5)} ${c.severity.padEnd(13)} ${c.id} (${bad} of ${c.results.length} resources)`);
    }
  }
  lines.push('', `evidence pack: ${packDir}`);
  return lines.join('\n');
}

/** Exit code per the CLI contract: 3 when any result is ERROR, 1 when a failure reaches the threshold, else 0. */
export function exitCodeFor(results: ResultsDocument, failOn: Severity | 'none', errorsAreFinal = true): number {
  // A shard's ERROR verdicts are provisional (merge judges the organisation and exits 3): only --fail-on decides.
  if (errorsAreFinal && results.controls.some((c) => c.status === 'ERROR')) return 3;
  if (failOn === 'none') return 0;
  const threshold = SEVERITIES.indexOf(failOn);
  return results.controls.some((c) => c.status === 'FAIL' && SEVERITIES.indexOf(c.severity) <= threshold) ? 1 : 0;
}
