import type { Resource } from '../../src/core/types.js';
import { accountResourceId } from '../types.js';

/**
 * Parses RFC 4180 CSV: comma separated, fields optionally quoted, `""` inside quotes is a quote, CRLF or LF
 * line ends (also inside quoted fields). The credential report is small (one row per user), so a single pass
 * over the string is enough.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
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
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i += 1;
    } else field += c;
    i += 1;
  }
  if (quoted) throw new Error('credential report CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) endRow();
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
 * Turns credential report CSV into resources: the `<root_account>` row becomes the account
 * (`AWS::::Account:<account>`), every other row an `AWS::IAM::User` keyed by its ARN. Key and certificate slots
 * that hold nothing (inactive and never created) are left out. A report whose header lacks the expected
 * columns throws: a changed format must not read as "no users".
 */
export function credentialReportResources(csv: string, account: string, generatedAt?: string): Resource[] {
  const rows = parseCsv(csv).filter((r) => !(r.length === 1 && r[0] === ''));
  const header = rows.shift();
  if (!header) throw new Error('credential report is empty (no header row)');
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`credential report lacks columns: ${missing.join(', ')}`);
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
