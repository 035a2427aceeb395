import { describe, expect, it } from 'vitest';
import type { CompiledRule, LoadedControl } from '../../../src/catalog/load.js';
import { canonicalJson } from '../../../src/core/json.js';
import type { ControlDefinition, EvidenceRecord, Resource } from '../../../src/core/types.js';
import { ControlEvaluation, evaluateControl, type ControlOutcome } from '../../../src/evaluate/evaluate.js';
import { EvidenceIndex } from '../../../src/evaluate/evidence-index.js';
import { collectionTime } from '../../../src/evaluate/provenance.js';
import { refusedScopes, type RefusalFacts } from '../../../src/results/refusals.js';
import { compileExpression } from '../../../src/rules/cel.js';
import { prng } from '../../helpers/prng.js';

/**
 * Assessment holds one account's evidence at a time (src/pipeline/assess.ts): a control fed account by account,
 * each time from an index holding only that account's records, must give exactly the outcome of one pass over the
 * whole pack (same results in the same order, same provenance), and refusals gathered per account the same list.
 */

const ACCOUNTS = ['333333333333', '111111111111', '222222222222', '444444444444'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const SCOPES = new Map([
  ['x.things', 'region' as const],
  ['x.settings', 'account' as const],
]);

function control(evidence: string[], kind: ControlDefinition['kind'] = 'automated'): LoadedControl {
  const definition: ControlDefinition = {
    id: `x-${evidence.join('-')}-${kind}`,
    title: 'Things',
    description: 'Things are fine.',
    severity: 'high',
    kind,
    responsibility: 'customer',
    mappings: {},
    evidence,
    resourceType: 'AWS::X::Thing',
    params: {},
    remediation: { text: 'Fix.' },
    tests: [],
    source: 'controls/x/thing.yaml',
  };
  const rule: CompiledRule = { checks: [{ require: compileExpression('r.ok == true'), message: compileExpression('"bad " + r.id'), continue: false }] };
  return { definition, ...(kind === 'automated' ? { rule } : {}) } as LoadedControl;
}

/** A pack's records: some scopes missing, some failed (refused, for refusals), resources from the API or AWS Config. */
function records(seed: number): EvidenceRecord[] {
  const next = prng(seed);
  const out: EvidenceRecord[] = [];
  for (const account of ACCOUNTS) {
    for (const [collector, scope] of SCOPES) {
      for (const region of scope === 'account' ? ['global'] : REGIONS) {
        const roll = next();
        if (roll < 0.1) continue; // not collected
        const failed = roll < 0.25;
        const collectedAt = new Date(Date.UTC(2026, 10, 1) + Math.floor(next() * 86_400_000)).toISOString();
        const resources = failed
          ? []
          : Array.from({ length: Math.floor(next() * 5) }, (_, i): Resource => {
              const id = `arn:aws:x:${region}:${account}:thing/${Math.floor(next() * 4)}-${i}`;
              const fromConfig = next() < 0.3;
              return { id, type: 'AWS::X::Thing', ok: next() < 0.6, ...(fromConfig ? { provenance: { source: 'config', capturedAt: '2026-10-30T00:00:00Z', configurationStateId: '1', liveFields: next() < 0.5 ? ['tags'] : [] } } : {}) } as Resource;
            });
        out.push({
          schemaVersion: '1',
          collector: { id: collector, version: '1' },
          account,
          region,
          collectedAt,
          status: failed ? 'error' : 'ok',
          ...(failed ? { error: { code: 'AccessDenied', message: 'denied', ...(next() < 0.5 ? { refusal: 'scp-deny' as const } : {}) } } : {}),
          calls: [],
          resources,
          raw: {},
        } as EvidenceRecord);
      }
    }
  }
  return out;
}

function indexOf(recs: EvidenceRecord[]): EvidenceIndex {
  const index = new EvidenceIndex();
  for (const [i, r] of recs.entries()) index.add({ record: r, path: `evidence/${r.account}/${r.region}/${r.collector.id}.json`, sha256: String(i).padStart(64, '0') });
  return index;
}

/** What assess does: one index per account, dropped after every control judged it. */
function byAccount(recs: EvidenceRecord[], controls: LoadedControl[]): { outcomes: ControlOutcome[]; refusals: RefusalFacts[] } {
  const whole = indexOf(recs); // for the sha256 values only: each account's index re-uses the same entries
  const evaluations = controls.map((c) => new ControlEvaluation(c, SCOPES));
  const refusals: RefusalFacts[] = [];
  let newest: number | undefined;
  for (const account of ACCOUNTS) {
    const index = new EvidenceIndex();
    for (const entry of whole.all()) if (entry.record.account === account) index.add(entry);
    const mine = index.all().map((e) => e.record);
    refusals.push(...mine);
    const t = collectionTime(mine);
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
    for (const e of evaluations) e.addAccount(index, account, REGIONS);
  }
  return { outcomes: evaluations.map((e) => e.finish(newest)), refusals };
}

describe('ControlEvaluation fed account by account', () => {
  const controls = [control(['x.things']), control(['x.settings']), control(['x.things', 'x.settings']), control(['x.settings', 'x.things']), control([], 'manual'), control(['x.things'], 'inherited')];

  it('gives the same outcomes, byte for byte, as one pass over the whole pack (50 random packs)', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 50; seed++) {
      const recs = records(seed);
      const whole = indexOf(recs);
      const expected = controls.map((c) => evaluateControl(c, whole, { accounts: ACCOUNTS, regions: REGIONS }, SCOPES));
      const { outcomes, refusals } = byAccount(recs, controls);
      expect(canonicalJson(outcomes), `seed ${seed}`).toBe(canonicalJson(expected));
      expect(refusedScopes(refusals), `seed ${seed}`).toEqual(refusedScopes(recs));
      for (const o of outcomes) {
        for (const r of o.results) seen.add(r.status);
        for (const s of o.provenance?.sources ?? []) seen.add(s);
      }
      if (refusals.length && refusedScopes(refusals).length) seen.add('refusal');
    }
    // The packs exercised every path: verdicts both ways, failed scopes, Config provenance, refusals.
    expect([...seen].sort()).toEqual(['ERROR', 'FAIL', 'PASS', 'api', 'config', 'refusal']);
  });

  it('reads only the account it is given: an index of another account makes every scope ERROR (not collected)', () => {
    const recs = records(3).filter((r) => r.account === ACCOUNTS[1]);
    const evaluation = new ControlEvaluation(control(['x.settings']), SCOPES);
    evaluation.addAccount(indexOf(recs), ACCOUNTS[0] as string, REGIONS);
    const outcome = evaluation.finish(undefined);
    expect(outcome.results).toHaveLength(1);
    expect(outcome.results[0]).toMatchObject({ account: ACCOUNTS[0], status: 'ERROR', message: `evidence x.settings was not collected for ${ACCOUNTS[0]}/global` });
  });
});
