import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/json.js';
import { useMoto } from '../helpers/moto.js';
import { buildAssessmentResults, OSCAL_FILE, writeAssessmentResults } from '../../src/export/oscal/assessment-results.js';
import type { OscalAssessmentResultsDocument } from '../../src/export/oscal/types.js';
import { oscalValidator } from '../../src/export/oscal/validate.js';
import type { Manifest } from '../../src/locker/pack.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';

/** A real pack (every collector and control, caller account, one region, against moto) exported to OSCAL. */
describe('OSCAL assessment results of a real pack', () => {
  const moto = useMoto();
  let packDir: string;
  let results: ResultsDocument;
  let manifest: Manifest;
  let doc: OscalAssessmentResultsDocument;

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'auditpack-oscal-'));
    ({ packDir } = await collectAndAssess({ out, regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 2 }));
    // Read back from disk, as an exporter of a sealed pack would.
    results = JSON.parse(await readFile(join(packDir, 'results.json'), 'utf8')) as ResultsDocument;
    manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    await writeAssessmentResults(packDir, results, manifest);
    doc = JSON.parse(await readFile(join(packDir, OSCAL_FILE), 'utf8')) as OscalAssessmentResultsDocument;
  }, 240_000);

  it('writes assessment-results.oscal.json valid against the vendored NIST schema', () => {
    const validate = oscalValidator();
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 2)).toBe(true);
  });

  it('has an observation carrying the path and hash of every evidence file in the manifest', () => {
    const observations = doc['assessment-results'].results[0]?.observations ?? [];
    const evidence = manifest.files.filter((f) => f.path.startsWith('evidence/'));
    expect(evidence.length).toBeGreaterThan(10);
    expect(observations).toHaveLength(evidence.length);
    const carried = new Set(observations.flatMap((o) => (o['relevant-evidence'] ?? []).map((e) => `${e.href} ${e.props?.find((p) => p.name === 'sha256')?.value}`)));
    for (const f of evidence) expect(carried.has(`${f.path} ${f.sha256}`), f.path).toBe(true);
  });

  it('has one finding per control of results.json, with the same satisfied/not-satisfied verdict', () => {
    const findings = doc['assessment-results'].results[0]?.findings ?? [];
    expect(findings.map((f) => f.target['target-id'])).toEqual(results.controls.map((c) => c.id));
    for (const c of results.controls) {
      const f = findings.find((x) => x.target['target-id'] === c.id);
      expect(f?.props?.find((p) => p.name === 'status')?.value).toBe(c.status);
      const satisfied = ['PASS', 'NOT_APPLICABLE', 'INHERITED'].includes(c.status);
      expect(f?.target.status.state, c.id).toBe(satisfied ? 'satisfied' : 'not-satisfied');
    }
    expect(findings.some((f) => f.target.status.state === 'not-satisfied')).toBe(true);
  });

  it('links every evidence hash a result cites to an observation of that finding', () => {
    const r = doc['assessment-results'].results[0];
    const hashOf = new Map((r?.observations ?? []).map((o) => [o.uuid, o['relevant-evidence']?.[0]?.props?.find((p) => p.name === 'sha256')?.value]));
    for (const c of results.controls) {
      const f = r?.findings?.find((x) => x.target['target-id'] === c.id);
      const linked = new Set((f?.['related-observations'] ?? []).map((ro) => `sha256:${hashOf.get(ro['observation-uuid'])}`));
      for (const res of c.results) for (const h of res.evidence) expect(linked.has(h), `${c.id} ${h}`).toBe(true);
    }
  });

  it('re-exports the same pack into identical bytes', async () => {
    const onDisk = await readFile(join(packDir, OSCAL_FILE), 'utf8');
    expect(canonicalJson(buildAssessmentResults(results, manifest))).toBe(onDisk);
  });
});
