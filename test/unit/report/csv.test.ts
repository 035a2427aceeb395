import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvChunks, csvRows, neutraliseFormula, renderCsv, writeCsv } from '../../../src/report/csv.js';
import { XSS_SCRIPT, sampleView, syntheticView } from '../../fixtures/report/views.js';

/** Minimal RFC 4180 reader for fully quoted CSV (what renderCsv writes), so the test does not trust the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') throw new Error(`unquoted field at ${i}`);
    let value = '';
    i++;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) throw new Error('unterminated field');
      value += text.slice(i, q);
      if (text[q + 1] === '"') {
        value += '"';
        i = q + 2;
      } else {
        i = q + 1;
        break;
      }
    }
    row.push(value);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}

const csv = renderCsv(sampleView());
const [header, ...rows] = parseCsv(csv);
const column = (row: string[] | undefined, name: (typeof CSV_COLUMNS)[number]): string | undefined => row?.[CSV_COLUMNS.indexOf(name)];

describe('renderCsv', () => {
  it('has the documented header and one row per control × result, one row for a control without results', () => {
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3 + 1 + 1 + 1);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const manual = rows.find((r) => column(r, 'control_id') === 'manual-threat-model');
    expect(manual).toEqual(['manual-threat-model', 'Workloads have a current threat model', 'medium', 'MANUAL', 'manual', '', '', '', '', '', '', 'SEC01-BP07', '', '', '', '', '', '']);
    const inherited = rows.find((r) => column(r, 'control_id') === 'inherited-physical-security');
    expect(column(inherited, 'resource_id')).toBe('');
    expect(column(inherited, 'control_status')).toBe('INHERITED');
  });

  it('carries framework ids and the sha256 of each result’s evidence files', () => {
    const first = rows[0];
    expect(column(first, 'well_architected')).toBe('SEC08-BP02');
    expect(column(first, 'security_hub')).toBe('S3.4');
    expect(column(first, 'cis_aws')).toBe('2.1.1');
    expect(column(first, 'evidence_sha256')).toBe(sampleView().appendix.files[0]?.sha256);
    expect(column(first, 'result_status')).toBe('FAIL');
    expect(column(first, 'resource_id')).toBe(`arn:aws:s3:::${XSS_SCRIPT}`);
  });

  it('keeps quotes and commas inside their cell', () => {
    expect(rows.some((r) => column(r, 'message') === 'bucket "plain-bucket" is encrypted, with a comma')).toBe(true);
    expect(csv).toContain('"bucket ""plain-bucket"" is encrypted, with a comma"');
  });

  it('neutralises formula injection (OWASP): = + - @ TAB CR at the start of any cell get a leading quote', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${lead}1+1`)).toBe(`'${lead}1+1`);
    for (const safe of ['arn:aws:s3:::b', '1+1', ' =1', '', "'=1"]) expect(neutraliseFormula(safe)).toBe(safe);
    expect(rows.some((r) => column(r, 'message') === "'+cmd|calc")).toBe(true);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('neutralises hostile values in every column, not only resource ids', () => {
    const view = sampleView();
    const target = view.controls[0];
    if (!target) throw new Error('fixture');
    target.title = '=cmd()';
    target.results = [{ ...target.results[0]!, resourceId: '@SUM(A1)', region: '-1', account: '\t=1' }];
    const [, row] = parseCsv(renderCsv(view));
    expect([column(row, 'control_title'), column(row, 'resource_id'), column(row, 'region'), column(row, 'account')]).toEqual(["'=cmd()", "'@SUM(A1)", "'-1", "'\t=1"]);
  });

  it('is deterministic and handles 20,000 results', () => {
    expect(renderCsv(sampleView())).toBe(csv);
    const big = parseCsv(renderCsv(syntheticView(100, 20_000)));
    expect(big).toHaveLength(20_001);
  });
});

describe('results.csv written as a stream', () => {
  it('writes, chunk by chunk, the bytes one stringify of every row gives (the previous writer), hostile cells included', async () => {
    for (const view of [sampleView(), syntheticView(30, 5_000)]) {
      const previous = stringify([...csvRows(view)], { quoted: true, quoted_empty: true, record_delimiter: 'windows' });
      expect([...csvChunks(view)].length).toBeGreaterThanOrEqual(1);
      const file = join(await mkdtemp(join(tmpdir(), 'auditpack-csv-')), 'results.csv');
      const written = await writeCsv(file, view);
      const bytes = await readFile(file);
      expect(bytes.toString('utf8')).toBe(previous);
      expect(written).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    }
    // The big view spans several chunks, each ending on a record boundary.
    const chunks = [...csvChunks(syntheticView(30, 5_000))];
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.endsWith('\r\n')).toBe(true);
  });
});
