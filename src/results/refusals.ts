import { REFUSALS, type EvidenceRecord, type Refusal } from '../core/types.js';
import type { RefusedScope } from './types.js';

/** What grouping reads of an evidence record. */
export type RefusalFacts = Pick<EvidenceRecord, 'account' | 'region' | 'collector' | 'status' | 'error'>;

const CAUSE_TEXT: Record<Refusal, string> = {
  'scp-deny': 'denied by a service control policy',
  'region-not-enabled': 'region not enabled',
  'not-subscribed': 'service not subscribed',
};

interface Group {
  account: string;
  region: string;
  service?: string;
  cause: Refusal;
  collectors: string[];
}

/** Collector ids are `<service>.<evidence>` (core/collector.ts). */
function serviceOf(collectorId: string): string {
  return collectorId.split('.')[0] ?? collectorId;
}

/** The record's refusal, if it is one we know: pack data is input, so an unknown value is not trusted as a cause. */
function refusalOf(record: RefusalFacts): Refusal | undefined {
  const refusal = record.status === 'error' ? record.error?.refusal : undefined;
  return refusal !== undefined && (REFUSALS as readonly string[]).includes(refusal) ? refusal : undefined;
}

/** Plain code-unit order, so the result does not depend on the machine's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One account and region: a single entry when every run there was refused for one cause, else one per service and cause. */
function groupScope(runs: RefusalFacts[]): Group[] {
  const refused = runs.flatMap((r) => {
    const cause = refusalOf(r);
    return cause ? [{ cause, collector: r.collector.id }] : [];
  });
  const first = runs[0];
  const cause = refused[0]?.cause;
  if (!first || !cause) return [];
  const { account, region } = first;
  if (refused.length === runs.length && refused.every((r) => r.cause === cause)) {
    return [{ account, region, cause, collectors: refused.map((r) => r.collector).sort(compare) }];
  }
  const byService = new Map<string, Group>();
  for (const r of refused) {
    const service = serviceOf(r.collector);
    const key = `${service}|${r.cause}`;
    const group = byService.get(key) ?? { account, region, service, cause: r.cause, collectors: [] };
    group.collectors.push(r.collector);
    byService.set(key, group);
  }
  return [...byService.values()].map((g) => ({ ...g, collectors: g.collectors.sort(compare) }));
}

function fixFor(group: Group, keep: string[]): string {
  const regions = group.region !== 'global' && keep.length ? `--regions ${keep.join(',')}` : '';
  switch (group.cause) {
    case 'region-not-enabled':
      return regions ? `${regions}, or enable the region` : 'enable the region';
    case 'scp-deny':
      return `have the organisation exempt the audit role from the SCP${group.service ? ` for ${group.service}` : ''}${regions ? `, or ${regions}` : ''}`;
    case 'not-subscribed':
      return `subscribe the account to ${group.service ?? 'the services'}${regions ? `, or ${regions}` : ''}`;
  }
}

/**
 * The scopes that refused the auditor, from the pack's evidence records: one entry per account × region when every
 * collector run there was refused for the same cause, otherwise one per account × region × service and cause. The
 * suggested `--regions` leaves out every region that was refused as a whole. Sorted by account, region, service
 * (whole-region entries first) and cause, so the same evidence always gives the same list.
 */
export function refusedScopes(records: Iterable<RefusalFacts>): RefusedScope[] {
  const byScope = new Map<string, RefusalFacts[]>();
  const regions = new Set<string>();
  for (const record of records) {
    const key = `${record.account}|${record.region}`;
    const runs = byScope.get(key);
    if (runs) runs.push(record);
    else byScope.set(key, [record]);
    if (record.region !== 'global') regions.add(record.region);
  }
  const groups = [...byScope.values()].flatMap(groupScope);
  const wholeRegions = new Set(groups.filter((g) => g.service === undefined).map((g) => g.region));
  const keep = [...regions].filter((r) => !wholeRegions.has(r)).sort(compare);
  return groups
    .sort((a, b) => compare(a.account, b.account) || compare(a.region, b.region) || compare(a.service ?? '', b.service ?? '') || compare(a.cause, b.cause))
    .map((g) => {
      const fix = fixFor(g, keep.filter((r) => r !== g.region));
      const runs = g.collectors.length;
      const where = [g.account, g.region, ...(g.service ? [g.service] : [])].join(' ');
      return {
        account: g.account,
        region: g.region,
        ...(g.service ? { service: g.service } : {}),
        cause: g.cause,
        collectors: g.collectors,
        fix,
        message: `${where} — ${CAUSE_TEXT[g.cause]} (${runs} collector run${runs === 1 ? '' : 's'}; fix: ${fix})`,
      };
    });
}

export { CAUSE_TEXT as REFUSAL_CAUSE_TEXT };
