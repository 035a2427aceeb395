import type { Collector } from '../core/collector.js';
import type { ControlDefinition, Resource, ResourceResult, Status } from '../core/types.js';
import type { LoadedControl } from '../catalog/load.js';
import type { EvidenceIndex } from './evidence-index.js';
import { compareResults, judge, worstStatus } from './judge.js';
import { ProvenanceTally, ScopeEvidence, collectionTime, type EvidenceProvenance, type ScopeRecord } from './provenance.js';

export interface ControlOutcome {
  definition: ControlDefinition;
  status: Status;
  results: ResourceResult[];
  params: Record<string, unknown>;
  /** Automated controls: the evidence sources its results used and the age of the oldest (see provenance.ts). */
  provenance?: EvidenceProvenance;
}

export interface EvaluationScope {
  accounts: string[];
  regions: string[];
}

/** What evaluation reads of the locker: one evidence entry by account, region and collector (a whole pack, or one account of it). */
export type EvidenceLookup = Pick<EvidenceIndex, 'get'>;

/**
 * One control evaluated account by account: `addAccount` judges every scope of one account (its regions, or
 * `global` when every evidence source is account-wide) from that account's evidence, keeps only the results and
 * feeds the provenance tally; `finish` sorts the results and sums up. Feeding accounts in the run's order gives
 * exactly the outcome evaluateControl gives over the whole pack (the sort is stable), so assessment can hold one
 * account's evidence at a time (src/pipeline/assess.ts).
 */
export class ControlEvaluation {
  private readonly params: Record<string, unknown>;
  private readonly regional: boolean;
  private readonly results: ResourceResult[] = [];
  private readonly tally = new ProvenanceTally();

  constructor(
    private readonly control: LoadedControl,
    private readonly collectorScopes: ReadonlyMap<string, Collector['scope']>,
    paramOverrides: Record<string, unknown> = {},
  ) {
    const { definition } = control;
    this.params = { ...definition.params, ...paramOverrides };
    this.regional = definition.evidence.some((id) => collectorScopes.get(id) === 'region');
  }

  /** Automated controls with a rule judge evidence; the others take their status from their kind. */
  private get judged(): boolean {
    return this.control.definition.kind !== 'manual' && this.control.definition.kind !== 'inherited' && this.control.rule !== undefined;
  }

  /** Judges every scope of `account` (in `regions` order) from `index`, which must hold that account's evidence. */
  addAccount(index: EvidenceLookup, account: string, regions: readonly string[]): void {
    const { definition, rule } = this.control;
    if (!this.judged || !rule) return;
    const { collectorScopes, params, results, tally } = this;
    for (const region of this.regional ? regions : ['global']) {
      const evidence: Record<string, Resource[]> = {};
      const hashes: string[] = [];
      const failures: string[] = [];
      const records: ScopeRecord[] = [];
      let now = '';
      for (const id of definition.evidence) {
        const entryRegion = collectorScopes.get(id) === 'region' ? region : 'global';
        const entry = index.get(account, entryRegion, id);
        if (!entry) {
          failures.push(`evidence ${id} was not collected for ${account}/${entryRegion}`);
          continue;
        }
        hashes.push(`sha256:${entry.sha256}`);
        if (entry.record.status === 'error') failures.push(`evidence ${id}: ${entry.record.error?.message ?? 'collection failed'}`);
        evidence[id] = entry.record.resources;
        records.push(entry.record);
        if (entry.record.collectedAt > now) now = entry.record.collectedAt;
      }
      hashes.sort();
      const scopeEvidence = new ScopeEvidence(records);
      if (failures.length) {
        for (const t of scopeEvidence.times()) tally.live(t);
        results.push({
          resourceId: `AWS::::Account:${account}`,
          resourceType: 'AWS::::Account',
          account,
          region,
          status: 'ERROR',
          message: failures.join('; '),
          evidence: hashes,
        });
        continue;
      }
      const origins = new Map<ResourceResult, unknown>();
      const judged = judge(
        rule,
        {
          account,
          region,
          evidence,
          params,
          now,
          evidenceHashes: hashes,
          primaryEvidence: definition.evidence[0] ?? '',
          resourceType: definition.resourceType ?? 'AWS::::Account',
        },
        origins,
      );
      tally.results(judged, origins, scopeEvidence);
      for (const r of judged) results.push(r);
    }
  }

  /** The outcome, once every account was added; `collectionTime` (ms) is the pack's newest collectedAt. */
  finish(collectionTime: number | undefined): ControlOutcome {
    const { definition } = this.control;
    const { params } = this;
    if (definition.kind === 'manual') return { definition, status: 'MANUAL', results: [], params };
    if (definition.kind === 'inherited') return { definition, status: 'INHERITED', results: [], params };
    if (!this.control.rule) return { definition, status: 'ERROR', results: [], params };
    const results = this.results;
    results.sort(compareResults);
    return { definition, status: worstStatus(results.map((r) => r.status)), results, params, provenance: this.tally.summary(collectionTime) };
  }
}

/**
 * Evaluates one control over the locker: per account for account-scope evidence, per account × region when any
 * evidence source is regional. Failed or missing evidence makes that scope ERROR with the collector's reason.
 */
export function evaluateControl(
  control: LoadedControl,
  index: EvidenceIndex,
  scope: EvaluationScope,
  collectorScopes: ReadonlyMap<string, Collector['scope']>,
  paramOverrides: Record<string, unknown> = {},
): ControlOutcome {
  const evaluation = new ControlEvaluation(control, collectorScopes, paramOverrides);
  for (const account of scope.accounts) evaluation.addAccount(index, account, scope.regions);
  return evaluation.finish(collectionTime(index.all().map((e) => e.record)));
}
