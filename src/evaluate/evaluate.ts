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
  const { definition, rule } = control;
  const params = { ...definition.params, ...paramOverrides };
  if (definition.kind === 'manual') return { definition, status: 'MANUAL', results: [], params };
  if (definition.kind === 'inherited') return { definition, status: 'INHERITED', results: [], params };
  if (!rule) return { definition, status: 'ERROR', results: [], params };
  const regional = definition.evidence.some((id) => collectorScopes.get(id) === 'region');
  const results: ResourceResult[] = [];
  const tally = new ProvenanceTally();
  for (const account of scope.accounts) {
    for (const region of regional ? scope.regions : ['global']) {
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
      results.push(...judged);
    }
  }
  results.sort(compareResults);
  const provenance = tally.summary(collectionTime(index.all().map((e) => e.record)));
  return { definition, status: worstStatus(results.map((r) => r.status)), results, params, provenance };
}
