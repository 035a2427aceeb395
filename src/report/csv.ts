import { stringify } from 'csv-stringify/sync';
import type { ControlView, ReportView, ResultView } from './view-model.js';

/**
 * results.csv: one row per control × resource result, for spreadsheets. Controls without results get one row.
 * The last three columns describe the control's evidence (sources, oldest evidence time, its age in seconds); they
 * are empty for manual and inherited controls and for results written before they were recorded.
 */

export const CSV_COLUMNS = [
  'control_id',
  'control_title',
  'severity',
  'control_status',
  'kind',
  'resource_id',
  'resource_type',
  'account',
  'region',
  'result_status',
  'message',
  'well_architected',
  'security_hub',
  'cis_aws',
  'evidence_sha256',
  'evidence_sources',
  'oldest_evidence',
  'evidence_age_seconds',
] as const;

/** Separator inside a multi-valued cell (framework ids, hashes); never appears in any of those values. */
const LIST_SEPARATOR = '; ';

/**
 * OWASP CSV injection defence: a cell that a spreadsheet would read as a formula (= + - @, or a leading TAB/CR that
 * some spreadsheets strip before looking) is prefixed with a single quote so it is shown as text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function mappingIds(control: ControlView, framework: string): string {
  return control.mappings.find((m) => m.framework === framework)?.ids.join(LIST_SEPARATOR) ?? '';
}

function evidenceHashes(control: ControlView, result: ResultView): string {
  return result.evidence
    .map((i) => control.evidenceFiles[i]?.sha256)
    .filter((h): h is string => h !== undefined)
    .join(LIST_SEPARATOR);
}

/** The control's evidence columns: sources (`api; config`), oldest evidence (ISO 8601), its age in seconds. */
function provenanceCells(control: ControlView): string[] {
  const p = control.evidenceProvenance;
  if (!p?.recorded) return ['', '', ''];
  return [p.sources.join(LIST_SEPARATOR), p.oldestAt ?? '', p.ageSeconds === undefined ? '' : String(p.ageSeconds)];
}

function controlRows(control: ControlView): string[][] {
  const head = [control.id, control.title, control.severity, control.status, control.kind];
  const frameworks = [mappingIds(control, 'well-architected'), mappingIds(control, 'security-hub'), mappingIds(control, 'cis-aws-3.0')];
  const provenance = provenanceCells(control);
  if (control.results.length === 0) return [[...head, '', '', '', '', '', '', ...frameworks, '', ...provenance]];
  return control.results.map((r) => [...head, r.resourceId, r.resourceType, r.account, r.region, r.status, r.message, ...frameworks, evidenceHashes(control, r), ...provenance]);
}

export function renderCsv(view: ReportView): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const control of view.controls) {
    for (const row of controlRows(control)) rows.push(row.map(neutraliseFormula));
  }
  // Every cell quoted (OWASP's second recommendation) and CRLF records (RFC 4180) so spreadsheets agree on cell edges.
  return stringify(rows, { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
}
