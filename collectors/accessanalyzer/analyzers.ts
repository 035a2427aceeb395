import { AccessAnalyzerClient, paginateListAnalyzers, type AnalyzerSummary } from '@aws-sdk/client-accessanalyzer';
import type { Resource } from '../../src/core/types.js';
import { accountResourceId, collectPages, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * One account-level resource per region listing its analyzers, so "no analyzer in this region" is a resource
 * a rule can fail rather than an empty list that reads as NOT_APPLICABLE.
 */
export function analyzersResource(account: string, region: string, analyzers: AnalyzerSummary[]): Resource {
  return {
    id: accountResourceId(account),
    type: 'AWS::::Account',
    name: account,
    region,
    analyzers: analyzers.map((a) => ({
      arn: a.arn ?? '',
      name: a.name ?? '',
      type: a.type ?? null,
      status: a.status ?? null,
      statusReason: a.statusReason?.code ?? null,
      createdAt: a.createdAt ? a.createdAt.toISOString() : null,
    })),
  };
}

/** IAM Access Analyzer ListAnalyzers in one region (every analyzer type; rules pick the ones they need). */
export const analyzers: Collector = {
  id: 'accessanalyzer.analyzers',
  version: '1',
  title: 'IAM Access Analyzer analyzers',
  scope: 'region',
  permissions: ['access-analyzer:ListAnalyzers'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      analyzers: s.array(
        s.object({ arn: s.string, name: s.string, type: s.nullable(s.string), status: s.nullable(s.string), statusReason: s.nullable(s.string), createdAt: s.nullable(s.string) }),
      ),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(AccessAnalyzerClient);
    const { items, pages } = await collectPages(paginateListAnalyzers({ client, pageSize: 1000 }, {}), (page) => page.analyzers);
    return {
      raw: { ListAnalyzers: pages.map((p) => ({ analyzers: p.analyzers ?? [] })) },
      resources: [analyzersResource(ctx.account, ctx.region, items)],
    };
  },
};
