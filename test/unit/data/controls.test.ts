/**
 * This domain's controls through the real catalog loader (schema, framework ids, collectors, CEL) and the engine's
 * inline test runner. Only our service folders are loaded (through a temp dir of symlinked files), so other domains'
 * work in progress cannot break these tests.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggingDataCollectors } from '../../../collectors/logging-data.js';
import { loadCatalog, type Catalog } from '../../../src/catalog/load.js';
import { runControlTests } from '../../../src/evaluate/control-tests.js';

const ROOT = join(import.meta.dirname, '../../..');
const SERVICES = ['cloudtrail', 'config', 'guardduty', 'rds', 'kms', 'efs', 'secretsmanager', 'lambda'];
const EXPECTED_IDS = [
  'cloudtrail-kms-encryption',
  'cloudtrail-log-file-validation',
  'cloudtrail-multi-region-enabled',
  'config-recording-enabled',
  'efs-encrypted',
  'guardduty-enabled',
  'kms-key-rotation',
  'lambda-env-no-secrets',
  'rds-not-public',
  'rds-storage-encrypted',
  'secretsmanager-rotation-enabled',
];

let dir: string;
let catalog: Catalog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'auditpack-data-controls-'));
  symlinkSync(join(ROOT, 'controls/frameworks'), join(dir, 'frameworks'));
  for (const service of SERVICES) {
    mkdirSync(join(dir, service));
    for (const file of readdirSync(join(ROOT, 'controls', service))) symlinkSync(join(ROOT, 'controls', service, file), join(dir, service, file));
  }
  catalog = await loadCatalog(dir, loggingDataCollectors);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logging & data controls', () => {
  it('load cleanly and are the expected set', () => {
    expect(catalog.controls.map((c) => c.definition.id)).toEqual(EXPECTED_IDS);
  });

  it('map to Security Hub ids (all but lambda-env-no-secrets)', () => {
    const sh = Object.fromEntries(catalog.controls.map((c) => [c.definition.id, c.definition.mappings['security-hub'] ?? []]));
    expect(sh).toEqual({
      'cloudtrail-kms-encryption': ['CloudTrail.2'],
      'cloudtrail-log-file-validation': ['CloudTrail.4'],
      'cloudtrail-multi-region-enabled': ['CloudTrail.1'],
      'config-recording-enabled': ['Config.1'],
      'efs-encrypted': ['EFS.1', 'EFS.8'],
      'guardduty-enabled': ['GuardDuty.1'],
      'kms-key-rotation': ['KMS.4'],
      'lambda-env-no-secrets': [],
      'rds-not-public': ['RDS.2'],
      'rds-storage-encrypted': ['RDS.3'],
      'secretsmanager-rotation-enabled': ['SecretsManager.1'],
    });
  });

  it('pass every inline test case with messages free of evaluation errors', () => {
    const outcomes = catalog.controls.flatMap((c) => runControlTests(c));
    expect(outcomes.length).toBeGreaterThanOrEqual(40);
    const failures = outcomes.filter((o) => !o.ok).map((o) => `${o.control} / ${o.name}: expected ${o.expected}, got ${o.actual} ${o.messages.join('; ')}`);
    expect(failures).toEqual([]);
    const errors = outcomes.flatMap((o) => o.messages).filter((m) => /ERROR/.test(m));
    expect(errors).toEqual([]);
  });
});
