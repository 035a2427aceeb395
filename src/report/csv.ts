import { stringify } from 'csv-stringify/sync';
import { writeStreamAtomic, type StreamedFile } from '../core/stream-write.js';
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

/** Every row of results.csv, header first, each cell neutralised: one control at a time, never the whole table. */
export function* csvRows(view: ReportView): Generator<string[]> {
  yield [...CSV_COLUMNS];
  for (const control of view.controls) {
    for (const row of controlRows(control)) yield row.map(neutraliseFormula);
  }
}

/** Rows formatted per call to the CSV writer: big enough to be cheap, small enough to stay bounded. */
const ROWS_PER_CHUNK = 1000;

/**
 * results.csv as text chunks, row by row: every cell quoted (OWASP's second recommendation) and CRLF records
 * (RFC 4180) so spreadsheets agree on cell edges. Each chunk ends on a record boundary, so the chunks joined are
 * the bytes one stringify of every row gives.
 */
export function* csvChunks(view: ReportView): Generator<string> {
  let batch: string[][] = [];
  for (const row of csvRows(view)) {
    batch.push(row);
    if (batch.length >= ROWS_PER_CHUNK) {
      yield stringify(batch, CSV_OPTIONS);
      batch = [];
    }
  }
  if (batch.length) yield stringify(batch, CSV_OPTIONS);
}

const CSV_OPTIONS = { quoted: true, quoted_empty: true, record_delimiter: 'windows' } as const;

/** results.csv as one string (small packs and tests); writeCsv streams it instead. */
export function renderCsv(view: ReportView): string {
  return [...csvChunks(view)].join('');
}

/** Writes results.csv atomically as a stream (never one string); returns its SHA-256 and size. */
export function writeCsv(path: string, view: ReportView): Promise<StreamedFile> {
  return writeStreamAtomic(path, csvChunks(view));
}
