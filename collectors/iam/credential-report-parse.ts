import type { Resource } from '../../src/core/types.js';
import { accountResourceId } from '../types.js';

/**
 * Parses RFC 4180 CSV: comma separated, fields optionally quoted, `""` inside quotes is a quote, CRLF or LF
 * line ends (also inside quoted fields). The credential report is small (one row per user), so a single pass
 * over the string is enough. Anything RFC 4180 does not allow (a quote inside an unquoted field, text after a
 * closing quote, an unterminated quote) throws: guessing could move a value into its neighbour's column.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  /** The current field was quoted and its closing quote has been read: only a separator may follow. */
  let closed = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
    closed = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        closed = true;
      } else field += c;
      i += 1;
      continue;
    }
    if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 1;
    } else if (closed) throw new Error(`credential report CSV: text after a closing quote in row ${rows.length + 1}`);
    else if (c === '"' && field === '') quoted = true;
    else if (c === '"') throw new Error(`credential report CSV: a quote inside an unquoted field in row ${rows.length + 1}`);
    else field += c;
    i += 1;
  }
  if (quoted) throw new Error('credential report CSV: unterminated quoted field');
  if (field !== '' || row.length > 0 || closed) endRow();
  return rows;
}

/** Tokens the credential report uses for "no value". */
const NO_VALUE = new Set(['N/A', 'not_supported', 'no_information', '']);

/** 'true'/'false' → boolean; the report's no-value tokens → null; anything else is kept as written. */
function bool(value: string | undefined): boolean | null | string {
  if (value === undefined || NO_VALUE.has(value)) return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** A timestamp → ISO 8601 (UTC); no-value tokens → null; an unexpected token is kept so rules see it (isDate). */
function date(value: string | undefined): string | null {
  if (value === undefined || NO_VALUE.has(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

function text(value: string | undefined): string | null {
  return value === undefined || NO_VALUE.has(value) ? null : value;
}

export interface AccessKeyInfo {
  slot: number;
  active: boolean | null | string;
  lastRotated: string | null;
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

export interface CertificateInfo {
  slot: number;
  active: boolean | null | string;
  lastRotated: string | null;
}

const REQUIRED_COLUMNS = ['user', 'arn', 'user_creation_time', 'password_enabled', 'mfa_active', 'access_key_1_active'];

/**
 * Every data row must have exactly the header's number of fields: a row with one more or one fewer would read
 * each later value from its neighbour's column (an MFA flag as a password date), so the whole report fails
 * closed and the controls that use it are ERROR, never judged on shifted fields.
 */
function checkShape(header: string[], rows: string[][]): void {
  const duplicate = header.find((c, i) => header.indexOf(c) !== i);
  if (duplicate !== undefined) throw new Error(`credential report header repeats column "${duplicate.slice(0, 64)}"`);
  rows.forEach((cells, i) => {
    if (cells.length === header.length) return;
    const user = JSON.stringify((cells[0] ?? '').slice(0, 64));
    throw new Error(`credential report row ${i + 1} (user ${user}) has ${cells.length} fields but the header has ${header.length}; refusing to guess which value belongs to which column`);
  });
}

/**
 * Turns credential report CSV into resources: the `<root_account>` row becomes the account
 * (`AWS::::Account:<account>`), every other row an `AWS::IAM::User` keyed by its ARN. Key and certificate slots
 * that hold nothing (inactive and never created) are left out. A report whose header lacks the expected
 * columns, or with a row that does not fit the header, throws: a changed format must not read as "no users".
 */
export function credentialReportResources(csv: string, account: string, generatedAt?: string): Resource[] {
  const rows = parseCsv(csv).filter((r) => !(r.length === 1 && r[0] === ''));
  const header = rows.shift();
  if (!header) throw new Error('credential report is empty (no header row)');
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`credential report lacks columns: ${missing.join(', ')}`);
  checkShape(header, rows);
  return rows.map((cells) => {
    const get = (column: string): string | undefined => {
      const index = header.indexOf(column);
      return index < 0 ? undefined : cells[index];
    };
    const accessKeys: AccessKeyInfo[] = [1, 2]
      .map((slot) => ({
        slot,
        active: bool(get(`access_key_${slot}_active`)),
        lastRotated: date(get(`access_key_${slot}_last_rotated`)),
        lastUsedDate: date(get(`access_key_${slot}_last_used_date`)),
        lastUsedRegion: text(get(`access_key_${slot}_last_used_region`)),
        lastUsedService: text(get(`access_key_${slot}_last_used_service`)),
      }))
      .filter((k) => k.active === true || k.lastRotated !== null);
    const certs: CertificateInfo[] = [1, 2]
      .map((slot) => ({ slot, active: bool(get(`cert_${slot}_active`)), lastRotated: date(get(`cert_${slot}_last_rotated`)) }))
      .filter((c) => c.active === true || c.lastRotated !== null);
    const user = get('user') ?? '';
    const arn = get('arn') ?? '';
    const isRoot = user === '<root_account>';
    return {
      id: isRoot ? accountResourceId(account) : arn,
      type: isRoot ? 'AWS::::Account' : 'AWS::IAM::User',
      name: isRoot ? account : user,
      arn,
      rootAccount: isRoot,
      userCreationTime: date(get('user_creation_time')),
      passwordEnabled: bool(get('password_enabled')),
      passwordLastUsed: date(get('password_last_used')),
      passwordLastChanged: date(get('password_last_changed')),
      passwordNextRotation: date(get('password_next_rotation')),
      mfaActive: bool(get('mfa_active')),
      accessKeys,
      activeAccessKeys: accessKeys.filter((k) => k.active === true).length,
      certs,
      reportGeneratedAt: generatedAt ?? null,
    };
  });
}
