import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/cli/progress.js';

describe('plain progress (CI logs)', () => {
  it('prints a refused region\'s reason once per account and region, then a short line per run', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const progress = createProgress(stream as unknown as NodeJS.WriteStream);
    progress.begin(new Map([['111111111111', 4]]));
    const refused = { account: '111111111111', region: 'eu-south-1', status: 'error' as const, refusal: 'region-not-enabled' as const, calls: 1, error: 'region eu-south-1 is not enabled for this account (fix: exclude it with --regions)' };
    progress.onEvent({ ...refused, collector: 'ec2.volumes' });
    progress.onEvent({ ...refused, collector: 'kms.keys' });
    progress.onEvent({ account: '111111111111', region: 'us-east-1', collector: 'kms.keys', status: 'ok', calls: 3 });
    progress.onEvent({ account: '111111111111', region: 'us-east-1', collector: 'iam.x', status: 'error', calls: 1, error: 'missing permission iam:X' });
    await progress.end();
    expect(text.trim().split('\n')).toEqual([
      '[1/4] 111111111111 eu-south-1 ec2.volumes ERROR region eu-south-1 is not enabled for this account (fix: exclude it with --regions)',
      '[2/4] 111111111111 eu-south-1 kms.keys ERROR refused (region-not-enabled, as above)',
      '[3/4] 111111111111 us-east-1 kms.keys ok (3 calls)',
      '[4/4] 111111111111 us-east-1 iam.x ERROR missing permission iam:X',
    ]);
  });
});
