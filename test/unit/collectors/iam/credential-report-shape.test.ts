import { describe, expect, it } from 'vitest';
import { credentialReportResources, parseCsv } from '../../../../collectors/iam/credential-report-parse.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
const ALICE = 'alice,arn:aws:iam::111111111111:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-02T00:00:00+00:00,N/A,true,true,2024-01-01T00:00:00+00:00,2024-06-20T08:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';

describe('credential report: rows that do not fit the header fail closed', () => {
  it('parses a well-formed report', () => {
    expect(credentialReportResources([HEADER, ALICE].join('\n'), '111111111111')).toHaveLength(1);
  });

  it('refuses a row with an extra field instead of shifting every later column', () => {
    // An unquoted comma in the user field: mfa_active would read password_next_rotation's N/A, and so on.
    const shifted = ALICE.replace('alice,', 'ali,ce,');
    expect(() => credentialReportResources([HEADER, shifted].join('\n'), '111111111111')).toThrow(
      /^credential report row 1 \(user "ali"\) has 23 fields but the header has 22; refusing to guess/,
    );
  });

  it('refuses a row with a missing field', () => {
    const short = ALICE.split(',').slice(0, -1).join(',');
    expect(() => credentialReportResources([HEADER, ALICE, short].join('\n'), '111111111111')).toThrow(/row 2 \(user "alice"\) has 21 fields but the header has 22/);
  });

  it('refuses a header that repeats a column', () => {
    expect(() => credentialReportResources([`${HEADER},mfa_active`, `${ALICE},true`].join('\n'), '111111111111')).toThrow(/header repeats column "mfa_active"/);
  });

  it('reads quoted fields with embedded commas and newlines as one field', () => {
    const quoted = ALICE.replace('alice,', '"al,i\nce",');
    const [user] = credentialReportResources([HEADER, quoted].join('\r\n'), '111111111111');
    expect(user).toMatchObject({ name: 'al,i\nce', mfaActive: true, passwordEnabled: true });
  });

  it('refuses CSV that RFC 4180 does not allow rather than guessing', () => {
    expect(() => parseCsv('a,"b"c,d\n')).toThrow(/text after a closing quote in row 1/);
    expect(() => parseCsv('a,b"c,d\n')).toThrow(/a quote inside an unquoted field in row 1/);
    expect(() => parseCsv('a,"b\n')).toThrow(/unterminated/);
    expect(parseCsv('a,""\n"",b')).toEqual([
      ['a', ''],
      ['', 'b'],
    ]);
  });
});
