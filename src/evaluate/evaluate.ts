import type { Collector } from '../core/collector.js';
import type { ControlDefinition, Resource, ResourceResult, Status } from '../core/types.js';
import type { LoadedControl } from '../catalog/load.js';
import type { EvidenceIndex } from './evidence-index.js';
import { compareResults, judge, worstStatus } from './judge.js';

export interface ControlOutcome {
  definition: ControlDefinition;
  status: Status;
  results: ResourceResult[];
  params: Record<string, unknown>;
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
  for (const account of scope.accounts) {
    for (const region of regional ? scope.regions : ['global']) {
      const evidence: Record<string, Resource[]> = {};
      const hashes: string[] = [];
      const failures: string[] = [];
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
        if (entry.record.collectedAt > now) now = entry.record.collectedAt;
      }
      hashes.sort();
      if (failures.length) {
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
      results.push(
        ...judge(rule, {
          account,
          region,
          evidence,
          params,
          now,
          evidenceHashes: hashes,
          primaryEvidence: definition.evidence[0] ?? '',
          resourceType: definition.resourceType ?? 'AWS::::Account',
        }),
      );
    }
  }
  results.sort(compareResults);
  return { definition, status: worstStatus(results.map((r) => r.status)), results, params };
}
