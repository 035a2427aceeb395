import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { verdicts } from '../../bench/throttling.js';
import { controlIdsOf, useSeededEstate } from '../helpers/estate.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.js';
import { stormRules } from '../support/storm.js';

/** One service per AWS protocol: S3 (REST-XML), KMS (awsJson), IAM (query), EC2, EFS and Lambda (restJson). */
const SERVICES = ['s3', 'kms', 'iam', 'ec2', 'efs', 'lambda'];
/** Their signing names, and STS (AssumeRole, GetCallerIdentity) and Organizations (the account listing). */
const STORM_SERVICES = ['s3', 'kms', 'iam', 'ec2', 'elasticfilesystem', 'lambda', 'sts', 'organizations'];

/** Controls moto cannot serve (ERROR with or without a storm): moto's credential report has no <root_account> row. */
const MOTO_GAP_CONTROLS = ['iam-root-not-used-recently'];

describe('throttling storm: a third of all calls throttled or 503, default settings', () => {
  const seeded = useSeededEstate(...SERVICES);
  let proxy: FaultProxy;
  let out: string;
  let calm: ResultsDocument;
  let storm: ResultsDocument;
  let controls: string[];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-storm-'));
    controls = await controlIdsOf(collectors.filter((c) => SERVICES.includes(c.id.split('.')[0]!)));
    // Default settings: no maxAttempts, no retry tuning; only the endpoint differs between the two runs.
    const run = async (endpoint: string) =>
      (await collectAndAssess({ out, organization: true, roleName: DEMO_ROLE, regions: seeded.estate.regions, endpoint, controlIds: controls })).results;
    calm = await run(seeded.moto.endpoint);
    // The storm, plus one certain throttle per service: a small estate makes few calls to some services.
    const once = STORM_SERVICES.map((service): FaultRule => ({ match: { service }, limit: 1, fault: 'throttle' }));
    proxy = await startFaultProxy(seeded.moto.endpoint, { seed: 10, rules: [...once, ...stormRules()] });
    storm = await run(proxy.endpoint);
  }, 240_000);
  afterAll(async () => {
    await proxy?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('really was a storm: about a third of all requests, every service, throttles and 503s', () => {
    const stats = proxy.stats();
    expect(stats.requests).toBeGreaterThan(100);
    expect(stats.faulted / stats.requests).toBeGreaterThan(0.25);
    expect(stats.faulted / stats.requests).toBeLessThan(0.45);
    expect(stats.byKind.throttle).toBeGreaterThan(stats.byKind.unavailable!);
    expect(stats.byKind.unavailable).toBeGreaterThan(0);
    const faulted = proxy.faultsByService();
    for (const service of STORM_SERVICES) expect(faulted[service], service).toBeGreaterThan(0);
  });

  it('finishes with no ERROR result the storm caused', () => {
    const errors = (doc: ResultsDocument) => doc.controls.flatMap((c) => c.results.filter((r) => r.status === 'ERROR').map((r) => `${c.id} ${r.account}/${r.region} ${r.resourceId}`));
    // Without the storm, only what moto cannot serve is ERROR: the root user's row of the credential report.
    expect([...new Set(errors(calm).map((e) => e.split(' ')[0]))]).toEqual(MOTO_GAP_CONTROLS);
    expect(errors(storm)).toEqual(errors(calm));
  });

  it('reaches the same verdicts as the run without the storm', () => {
    expect(verdicts(storm).length).toBeGreaterThan(controls.length);
    expect(verdicts(storm)).toEqual(verdicts(calm));
  });
});
