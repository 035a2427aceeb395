import { beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog, type Catalog } from '../../../src/catalog/load.js';
import { schemaValidator } from '../../../src/core/schema.js';
import type { EvidenceError, Refusal } from '../../../src/core/types.js';
import { buildResults } from '../../../src/results/build.js';
import { refusedScopes, type RefusalFacts } from '../../../src/results/refusals.js';
import type { RunInfo } from '../../../src/results/types.js';

const A = '111111111111';
const B = '222222222222';

function run(account: string, region: string, collector: string, refusal?: Refusal | 'other'): RefusalFacts {
  if (refusal === undefined) return { account, region, collector: { id: collector, version: '1' }, status: 'ok' };
  const error: EvidenceError = { code: 'X', message: 'reason' };
  if (refusal !== 'other') error.refusal = refusal;
  return { account, region, collector: { id: collector, version: '1' }, status: 'error', error };
}

const REGIONAL = ['ec2.volumes', 'guardduty.detectors', 'kms.keys', 'lambda.functions'];
const GLOBAL = ['iam.account-summary', 's3.buckets'];

/** Every collector run of one account: global ones once, regional ones per region, each with its outcome. */
function estate(account: string, regions: string[], outcome: (region: string, collector: string) => Refusal | 'other' | undefined = () => undefined): RefusalFacts[] {
  return [...GLOBAL.map((c) => run(account, 'global', c, outcome('global', c))), ...regions.flatMap((r) => REGIONAL.map((c) => run(account, r, c, outcome(r, c))))];
}

describe('refusedScopes', () => {
  it('gives nothing when nothing was refused (plain errors are not refusals)', () => {
    expect(refusedScopes(estate(A, ['us-east-1', 'eu-west-1'], (r, c) => (c === 'kms.keys' ? 'other' : undefined)))).toEqual([]);
  });

  it('states a region refused for every collector once, with its runs and a --regions that leaves it out', () => {
    const records = estate(A, ['us-east-1', 'eu-west-1'], (r) => (r === 'eu-west-1' ? 'region-not-enabled' : undefined));
    expect(refusedScopes(records)).toEqual([
      {
        account: A,
        region: 'eu-west-1',
        cause: 'region-not-enabled',
        collectors: [...REGIONAL].sort(),
        fix: '--regions us-east-1, or enable the region',
        message: `${A} eu-west-1 — region not enabled (4 collector runs; fix: --regions us-east-1, or enable the region)`,
      },
    ]);
  });

  it('gives one entry per service when only some services of the region were refused', () => {
    const records = estate(A, ['us-east-1', 'eu-west-1'], (r, c) => (r === 'eu-west-1' && c === 'guardduty.detectors' ? 'scp-deny' : undefined));
    expect(refusedScopes(records)).toEqual([
      {
        account: A,
        region: 'eu-west-1',
        service: 'guardduty',
        cause: 'scp-deny',
        collectors: ['guardduty.detectors'],
        fix: 'have the organisation exempt the audit role from the SCP for guardduty, or --regions us-east-1',
        message: `${A} eu-west-1 guardduty — denied by a service control policy (1 collector run; fix: have the organisation exempt the audit role from the SCP for guardduty, or --regions us-east-1)`,
      },
    ]);
  });

  it('splits a region refused throughout but for different causes, or alongside plain errors, by service and cause', () => {
    const mixed = estate(A, ['eu-west-1'], (r, c) => (r === 'global' ? undefined : c === 'guardduty.detectors' ? 'not-subscribed' : 'scp-deny'));
    expect(refusedScopes(mixed).map((s) => [s.service, s.cause, s.collectors])).toEqual([
      ['ec2', 'scp-deny', ['ec2.volumes']],
      ['guardduty', 'not-subscribed', ['guardduty.detectors']],
      ['kms', 'scp-deny', ['kms.keys']],
      ['lambda', 'scp-deny', ['lambda.functions']],
    ]);
    const withPlainError = estate(A, ['eu-west-1'], (r, c) => (r === 'global' ? undefined : c === 'kms.keys' ? 'other' : 'scp-deny'));
    expect(refusedScopes(withPlainError).map((s) => s.service)).toEqual(['ec2', 'guardduty', 'lambda']);
  });

  it('groups the collectors of one service together', () => {
    const records = [run(A, 'us-east-1', 'ec2.volumes', 'scp-deny'), run(A, 'us-east-1', 'ec2.snapshots', 'scp-deny'), run(A, 'us-east-1', 'kms.keys')];
    expect(refusedScopes(records)).toMatchObject([{ service: 'ec2', collectors: ['ec2.snapshots', 'ec2.volumes'] }]);
  });

  it('never suggests --regions for account-wide (global) evidence', () => {
    const records = estate(A, ['us-east-1'], (r, c) => (r === 'global' && c === 'iam.account-summary' ? 'scp-deny' : undefined));
    expect(refusedScopes(records)).toMatchObject([{ region: 'global', service: 'iam', fix: 'have the organisation exempt the audit role from the SCP for iam' }]);
  });

  it('leaves every wholly refused region out of the suggestion, and says only "enable" when none is left', () => {
    const two = [...estate(A, ['us-east-1', 'eu-west-1', 'eu-south-1'], (r) => (r.startsWith('eu-') ? 'region-not-enabled' : undefined)), ...estate(B, ['us-east-1', 'eu-west-1', 'eu-south-1'])];
    expect(refusedScopes(two).map((s) => s.fix)).toEqual(['--regions us-east-1, or enable the region', '--regions us-east-1, or enable the region']);
    const none = estate(A, ['eu-west-1'], (r) => (r === 'eu-west-1' ? 'region-not-enabled' : undefined));
    expect(refusedScopes(none).map((s) => s.fix)).toEqual(['enable the region']);
  });

  it('is in a fixed order whatever the order of the records: account, region, whole region first, service, cause', () => {
    const records = [
      ...estate(B, ['us-east-1', 'eu-west-1'], (r, c) => (r === 'us-east-1' && c.startsWith('kms') ? 'scp-deny' : r === 'eu-west-1' ? 'region-not-enabled' : undefined)),
      ...estate(A, ['us-east-1', 'eu-west-1'], (r, c) => (c.startsWith('lambda') || (r === 'global' && c.startsWith('s3')) ? 'not-subscribed' : undefined)),
    ];
    const expected = [
      [A, 'eu-west-1', 'lambda'],
      [A, 'global', 's3'],
      [A, 'us-east-1', 'lambda'],
      [B, 'eu-west-1', undefined],
      [B, 'us-east-1', 'kms'],
    ];
    const forward = refusedScopes(records);
    expect(forward.map((s) => [s.account, s.region, s.service])).toEqual(expected);
    expect(refusedScopes([...records].reverse())).toEqual(forward);
  });

  it('ignores a refusal value it does not know (pack data is input)', () => {
    const forged = { ...run(A, 'us-east-1', 'kms.keys', 'other'), error: { code: 'X', message: 'm', refusal: 'everything-is-fine' as Refusal } };
    expect(refusedScopes([forged])).toEqual([]);
  });

  it('reads only error records: a refusal left on an ok record is not one', () => {
    const odd = { ...run(A, 'us-east-1', 'kms.keys'), error: { code: 'X', message: 'm', refusal: 'scp-deny' as Refusal } };
    expect(refusedScopes([odd])).toEqual([]);
  });
});

describe('buildResults with refusals', () => {
  let catalog: Catalog;
  const info: RunInfo = {
    id: 'run-1',
    startedAt: '2026-11-23T18:46:33.000Z',
    finishedAt: '2026-11-23T18:46:37.000Z',
    tool: { name: 'auditpack', version: '0.0.0' },
    accounts: [A],
    regions: ['eu-west-1', 'us-east-1'],
    catalog: { digest: `sha256:${'a'.repeat(64)}`, frameworks: {} },
  };
  beforeAll(async () => {
    catalog = await loadCatalog(undefined, collectors);
  });

  it('writes summary.refusals only when there are some, and both forms pass results.schema.json', () => {
    const validate = schemaValidator('results.schema.json');
    const without = buildResults(info, [], catalog.frameworks);
    expect('refusals' in without.summary).toBe(false);
    expect(validate(JSON.parse(JSON.stringify(without)))).toBe(true);

    const refusals = refusedScopes(estate(A, ['us-east-1', 'eu-west-1'], (r) => (r === 'eu-west-1' ? 'region-not-enabled' : undefined)));
    const withRefusals = buildResults(info, [], catalog.frameworks, undefined, refusals);
    expect(withRefusals.summary.refusals).toEqual(refusals);
    expect(validate(JSON.parse(JSON.stringify(withRefusals))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema refuses a refusal entry with an unknown cause or an extra field', () => {
    const validate = schemaValidator('results.schema.json');
    const [entry] = refusedScopes([run(A, 'us-east-1', 'kms.keys', 'scp-deny')]);
    const doc = JSON.parse(JSON.stringify(buildResults(info, [], catalog.frameworks, undefined, [entry!])));
    doc.summary.refusals[0].cause = 'gremlins';
    expect(validate(doc)).toBe(false);
    doc.summary.refusals[0].cause = 'scp-deny';
    doc.summary.refusals[0].extra = '<script>';
    expect(validate(doc)).toBe(false);
  });
});
