import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { isS3Location, withPackInput, withPackOutput, withPackUpdate } from '../../../src/store/location.js';
import { summariseRetention } from '../../../src/store/retention.js';
import { childLocation, formatS3Location, parseS3Location } from '../../../src/store/s3-location.js';
import { uploadPhases } from '../../../src/store/upload.js';

describe('s3 locations', () => {
  it('parses a bucket and a prefix, without trailing slash', () => {
    expect(parseS3Location('s3://audit-evidence/packs/prod/')).toEqual({ bucket: 'audit-evidence', prefix: 'packs/prod' });
    expect(parseS3Location('s3://audit.evidence')).toEqual({ bucket: 'audit.evidence', prefix: '' });
    expect(formatS3Location(childLocation(parseS3Location('s3://b-1/p'), '20261201T000000Z-abcdef'))).toBe('s3://b-1/p/20261201T000000Z-abcdef');
  });

  it.each([
    ['S3://bucket/p', /must start with s3:\/\//],
    ['s3://Bucket/p', /not an S3 bucket name/],
    ['s3://ab/p', /not an S3 bucket name/],
    ['s3://a..b/p', /not an S3 bucket name/],
    ['s3://192.168.1.1/p', /not an S3 bucket name/],
    ['s3://user:pw@bucket/p', /not an S3 bucket name/],
    ['s3://bucket:9000/p', /not an S3 bucket name/],
    ['s3://bucket/../other', /leaves its folder|segment/],
    ['s3://bucket/a//b', /empty or "\." segment/],
    ['s3://bucket/./a', /empty or "\." segment/],
    ['s3://bucket/a?versionId=1', /characters other than/],
    ['s3://bucket/a#frag', /characters other than/],
    ['s3://bucket/a b', /characters other than/],
    ['s3://bucket/a\\b', /backslash/],
    ['s3://bucket/a\nb', /control character/],
  ])('refuses %j with a one-line UserError', (arg, why) => {
    let error: unknown;
    try {
      parseS3Location(arg);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).toMatch(/fix: /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('a pack location names more than a bucket', () => {
    expect(() => parseS3Location('s3://bucket', true)).toThrow(/not a whole bucket/);
    expect(isS3Location('s3://bucket/p')).toBe(true);
    expect(isS3Location('./out/s3:')).toBe(false);
  });
});

describe('store contract for local folders', () => {
  const retention = { retention: { mode: 'COMPLIANCE' as const, retainUntil: new Date(Date.now() + 86_400_000) } };
  it('refuses retention for a local folder, on every entry point, before doing anything', async () => {
    let ran = false;
    const work = async (): Promise<{ packDir: string }> => {
      ran = true;
      return { packDir: 'x' };
    };
    await expect(withPackOutput('out', retention, work)).rejects.toThrow(/applies to an s3:\/\/ pack location only/);
    await expect(withPackUpdate('out/pack', 'assess', work, retention)).rejects.toThrow(UserError);
    await expect(withPackInput('out/pack', 'verify', work, retention)).rejects.toThrow(UserError);
    expect(ran).toBe(false);
  });

  it('hands a local folder through unchanged', async () => {
    expect(await withPackOutput('out', {}, async (parent) => ({ packDir: `${parent}/run-1` }))).toEqual({ packDir: 'out/run-1', location: 'out/run-1' });
    expect(await withPackInput('some/pack', 'verify', async (dir, info) => `${dir}:${String(info)}`)).toBe('some/pack:undefined');
  });
});

describe('upload order', () => {
  it('writes evidence and records first, then the signatures, then manifest.json alone', () => {
    const phases = uploadPhases(['manifest.json', 'signature.json', 'evidence/1/global/iam.json', 'manifest.sig', 'run.json', 'report.html']);
    expect(phases).toEqual([['evidence/1/global/iam.json', 'report.html', 'run.json'], ['manifest.sig', 'signature.json'], ['manifest.json']]);
  });
});

describe('retention summary', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('is as strong as the least-retained object', () => {
    const s = summariseRetention(
      [
        { key: 'a', mode: 'COMPLIANCE', retainUntil: new Date('2026-12-03T00:00:00Z') },
        { key: 'b', mode: 'COMPLIANCE', retainUntil: new Date('2026-12-02T00:00:00Z') },
        { key: 'c', mode: 'GOVERNANCE', retainUntil: new Date('2026-11-30T00:00:00Z') },
        { key: 'd' },
      ],
      now,
    );
    expect(s).toEqual({ objects: 4, retained: 2, modes: ['COMPLIANCE'], earliest: new Date('2026-12-02T00:00:00Z'), unretained: ['c', 'd'] });
  });
});
