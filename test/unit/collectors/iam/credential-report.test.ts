import { describe, expect, it, vi } from 'vitest';
import { createCredentialReportCollector } from '../../../../collectors/iam/credential-report.js';
import { credentialReportResources, parseCsv } from '../../../../collectors/iam/credential-report-parse.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
// A real AWS report: root row first, "not_supported" for root's password, "no_information" for a never-used password.
const REPORT = [
  HEADER,
  '<root_account>,arn:aws:iam::111111111111:root,2019-01-01T00:00:00+00:00,not_supported,2024-06-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  'alice,arn:aws:iam::111111111111:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-02T00:00:00+00:00,N/A,true,true,2024-01-01T00:00:00+00:00,2024-06-20T08:00:00+00:00,us-east-1,s3,false,2023-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,true,2024-02-02T00:00:00+00:00',
  'ci,arn:aws:iam::111111111111:user/ci,2021-05-05T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');

describe('parseCsv', () => {
  it('handles quoted fields with commas, escaped quotes and newlines, and CRLF', () => {
    expect(parseCsv('a,"b,c","d ""e""",f\r\n"multi\nline",,x\r\n')).toEqual([
      ['a', 'b,c', 'd "e"', 'f'],
      ['multi\nline', '', 'x'],
    ]);
  });
  it('keeps a last row without a trailing newline and rejects an open quote', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(() => parseCsv('a,"b')).toThrow(/unterminated/);
  });
});

describe('credentialReportResources', () => {
  const resources = credentialReportResources(REPORT, '111111111111', '2024-06-30T00:00:00.000Z');
  it('maps the root row to the account and users to their ARN', () => {
    expect(resources.map((r) => [r.id, r.type])).toEqual([
      ['AWS::::Account:111111111111', 'AWS::::Account'],
      ['arn:aws:iam::111111111111:user/alice', 'AWS::IAM::User'],
      ['arn:aws:iam::111111111111:user/ci', 'AWS::IAM::User'],
    ]);
    expect(resources[0]).toMatchObject({ rootAccount: true, passwordEnabled: null, mfaActive: true, accessKeys: [], passwordLastUsed: '2024-06-01T10:00:00.000Z' });
  });
  it('normalises flags, dates and the no-value tokens', () => {
    expect(resources[1]).toMatchObject({
      name: 'alice',
      userCreationTime: '2020-01-01T00:00:00.000Z',
      passwordEnabled: true,
      passwordLastUsed: null,
      passwordLastChanged: '2020-01-02T00:00:00.000Z',
      passwordNextRotation: null,
      mfaActive: true,
      activeAccessKeys: 1,
      reportGeneratedAt: '2024-06-30T00:00:00.000Z',
      accessKeys: [
        { slot: 1, active: true, lastRotated: '2024-01-01T00:00:00.000Z', lastUsedDate: '2024-06-20T08:00:00.000Z', lastUsedRegion: 'us-east-1', lastUsedService: 's3' },
        { slot: 2, active: false, lastRotated: '2023-01-01T00:00:00.000Z', lastUsedDate: null, lastUsedRegion: null, lastUsedService: null },
      ],
      certs: [{ slot: 2, active: true, lastRotated: '2024-02-02T00:00:00.000Z' }],
    });
    expect(resources[2]).toMatchObject({ passwordEnabled: false, mfaActive: false, accessKeys: [], certs: [], activeAccessKeys: 0 });
  });
  it('rejects a report without the expected columns instead of reading "no users"', () => {
    expect(() => credentialReportResources('user,arn\nalice,arn:x', '111111111111')).toThrow(/lacks columns/);
    expect(() => credentialReportResources('', '111111111111')).toThrow(/empty/);
  });
  it('handles a report with only the header (no users)', () => {
    expect(credentialReportResources(`${HEADER}\n`, '111111111111')).toEqual([]);
  });
});

describe('iam.credential-report collector', () => {
  it('polls GenerateCredentialReport until COMPLETE, then parses the report', async () => {
    const states = ['STARTED', 'INPROGRESS', 'COMPLETE'];
    const sleep = vi.fn(async () => {});
    const collector = createCredentialReportCollector({ pollIntervalMs: 10, sleep });
    const { ctx, calls } = fakeClients({
      GenerateCredentialReport: () => ({ State: states.shift() }),
      GetCredentialReport: { Content: new TextEncoder().encode(REPORT), ReportFormat: 'text/csv', GeneratedTime: new Date('2024-06-30T00:00:00Z') },
    });
    const out = await collector.collect(ctx);
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(calls.map((c) => c.command)).toEqual(['GenerateCredentialReport', 'GenerateCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
    expect(out.resources).toHaveLength(3);
    expect(out.raw.GetCredentialReport).toMatchObject({ GeneratedTime: '2024-06-30T00:00:00.000Z', Content: REPORT });
  });

  it('gives up after the bounded wait (error, not an empty report)', async () => {
    const collector = createCredentialReportCollector({ pollIntervalMs: 1000, maxWaitMs: 3000, sleep: async () => {} });
    await expect(collector.collect(fakeClients({ GenerateCredentialReport: { State: 'INPROGRESS' } }).ctx)).rejects.toThrow(/still INPROGRESS/);
  });
});
