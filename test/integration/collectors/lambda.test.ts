import { beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../../collectors/index.js';
import { SEEDED_ENV_SECRETS } from '../../../src/demo/seed/lambda.js';
import { SEEDED_SECRET_VALUES } from '../../../src/demo/seed/secretsmanager.js';
import { byName, useSeededEstate, type Evidence } from '../../helpers/estate.js';
import { describeRegionCollectors } from '../../helpers/region-collectors.js';

/**
 * Lambda (and the Secrets Manager secret it references) against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const serviceCollectors = collectorsOf('lambda');
const seeded = useSeededEstate('lambda');
let evidence: Evidence;
/** The secret the functions reference, collected too: none of its value may reach evidence either. */
let secretEvidence: Evidence;

beforeAll(async () => {
  evidence = await seeded.collect(serviceCollectors);
  secretEvidence = await seeded.collect(collectorsOf('secretsmanager'));
}, 240_000);

describeRegionCollectors(serviceCollectors, seeded, () => evidence);

describe('lambda evidence', () => {
  it('lambda.functions: variable names and verdicts, never values', () => {
    const fns = evidence.resources('lambda.functions', seeded.estate.management, 'us-east-1');
    expect(byName(fns, 'auditpack-orders-api')).toMatchObject({
      type: 'AWS::Lambda::Function',
      runtime: 'python3.8', // Lambda.2 (issue 12): the deprecated runtime
      role: `arn:aws:iam::${seeded.estate.management}:role/auditpack-demo-lambda-us-east-1`,
      environmentVariableNames: ['DB_HOST', 'DB_PASSWORD', 'LOG_LEVEL'],
      secretLookingVariables: ['DB_PASSWORD'],
      environmentEncryptedWithCmk: false,
    });
    expect(byName(fns, 'auditpack-thumbnailer')).toMatchObject({ environmentVariableNames: ['BUCKET_NAME', 'DB_SECRET_ARN'], secretLookingVariables: [] });
    const away = evidence.resources('lambda.functions', seeded.estate.member, 'eu-west-1');
    expect(byName(away, 'auditpack-report-export').environmentVariables).toEqual([
      { name: 'EXPORT_FORMAT', looksSecret: false, reasons: [] },
      { name: 'UPSTREAM_KEY_ID', looksSecret: true, reasons: ['aws-access-key-id'] },
    ]);
    expect(byName(away, 'auditpack-healthcheck')).toMatchObject({ environmentVariables: [], secretLookingVariables: [] });
    const rawFn = (evidence.record('lambda.functions', seeded.estate.management, 'us-east-1').raw.ListFunctions as { Functions: { FunctionName: string; Environment?: { Variables: Record<string, string> } }[] }[])
      .flatMap((p) => p.Functions)
      .find((f) => f.FunctionName === 'auditpack-orders-api');
    expect(rawFn?.Environment?.Variables).toEqual({ DB_HOST: '<redacted>', DB_PASSWORD: '<redacted>', LOG_LEVEL: '<redacted>' });
  });
  it('no secret or environment value appears anywhere in the evidence', () => {
    const json = JSON.stringify([...evidence.records.values(), ...secretEvidence.records.values()]);
    const values = [...Object.values(SEEDED_ENV_SECRETS), ...SEEDED_SECRET_VALUES, 'orders-db.internal', 'demo-only-Passw0rd'];
    for (const value of values) expect(json.includes(value), value).toBe(false);
  });
});

describe('lambda evidence (issue 12)', () => {
  it('lambda.functions: each function policy, parsed; none when there is no policy', () => {
    const fns = evidence.resources('lambda.functions', seeded.estate.management, 'us-east-1');
    const open = byName(fns, 'auditpack-orders-api').policy as { Statement: { Principal: unknown; Sid: string }[] };
    expect(open.Statement.map((s) => [s.Sid, s.Principal])).toEqual([['auditpack-everyone', '*']]);
    const s3 = byName(fns, 'auditpack-thumbnailer').policy as { Statement: { Principal: unknown; Condition: unknown }[] };
    expect(s3.Statement[0]).toMatchObject({ Principal: { Service: 's3.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceAccount': seeded.estate.management } } });
    expect(byName(evidence.resources('lambda.functions', seeded.estate.member, 'eu-west-1'), 'auditpack-healthcheck').policy).toBeNull();
    expect(byName(fns, 'auditpack-thumbnailer').vpcId).toMatch(/^vpc-/);
    expect(byName(fns, 'auditpack-orders-api').vpcId).toBeNull();
  });
});
