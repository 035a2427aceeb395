import { ACMClient, DescribeCertificateCommand, paginateListCertificates, type CertificateSummary } from '@aws-sdk/client-acm';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

const DETAIL_FIELDS = ['certificateType', 'status', 'keyAlgorithm', 'notAfter', 'renewalEligibility', 'inUse'] as const;

async function describeCertificate(client: ACMClient, region: string, summary: CertificateSummary): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const arn = summary.CertificateArn as string;
  const answer = await calls.call(`DescribeCertificate:${arn.slice(arn.lastIndexOf('/') + 1)}`, DETAIL_FIELDS, () => client.send(new DescribeCertificateCommand({ CertificateArn: arn })));
  const c = answer.ok ? answer.value?.Certificate : undefined;
  const resource = calls.resource({
    id: arn,
    type: 'AWS::ACM::Certificate',
    name: c?.DomainName ?? summary.DomainName ?? arn,
    region,
    certificateType: c?.Type ?? null,
    status: c?.Status ?? null,
    keyAlgorithm: c?.KeyAlgorithm ?? null,
    notAfter: c?.NotAfter ? c.NotAfter.toISOString() : null,
    renewalEligibility: c?.RenewalEligibility ?? null,
    inUse: (c?.InUseBy ?? []).length > 0,
  });
  return { resource, raw: calls.raw };
}

/** ACM certificates (every status and key type): expiry (ACM.1) and RSA key length (ACM.2). */
export const acmCertificates: Collector = {
  id: 'acm.certificates',
  version: '1',
  title: 'ACM certificates: expiry and key algorithm',
  scope: 'region',
  permissions: ['acm:ListCertificates', 'acm:DescribeCertificate'],
  resourceSchema: resourceShape(
    'AWS::ACM::Certificate',
    {
      certificateType: s.nullable(s.string),
      status: s.nullable(s.string),
      keyAlgorithm: s.nullable(s.string),
      notAfter: s.nullable(s.string),
      renewalEligibility: s.nullable(s.string),
      inUse: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(ACMClient);
    // ListCertificates returns only RSA_1024/RSA_2048 certificates unless the key types are listed.
    const keyTypes = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;
    const listed = await collectPages(paginateListCertificates({ client, pageSize: 1000 }, { Includes: { keyTypes: [...keyTypes] } }), (p) => p.CertificateSummaryList);
    const summaries = listed.items.filter((c) => typeof c.CertificateArn === 'string').sort((a, b) => (a.CertificateArn as string).localeCompare(b.CertificateArn as string));
    const described = await ctx.map(summaries, (c) => describeCertificate(client, ctx.region, c));
    const raw: Record<string, unknown> = { ListCertificates: listed.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
