import { IAMClient, paginateListServerCertificates, type ServerCertificateMetadata } from '@aws-sdk/client-iam';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** Server certificate metadata as ListServerCertificates returns it → the resource iam.server-certificates emits. */
export function normaliseServerCertificate(cert: ServerCertificateMetadata, account: string): Resource {
  const name = cert.ServerCertificateName ?? cert.ServerCertificateId ?? '';
  return {
    id: cert.Arn ?? `arn:aws:iam::${account}:server-certificate${cert.Path ?? '/'}${name}`,
    type: 'AWS::IAM::ServerCertificate',
    name,
    serverCertificateId: cert.ServerCertificateId ?? null,
    path: cert.Path ?? '/',
    uploadDate: cert.UploadDate ? cert.UploadDate.toISOString() : null,
    expiration: cert.Expiration ? cert.Expiration.toISOString() : null,
  };
}

/** IAM ListServerCertificates: the SSL/TLS certificates stored in IAM with their expiration (IAM.26 / CIS 1.19). */
export const serverCertificates: Collector = {
  id: 'iam.server-certificates',
  version: '1',
  title: 'IAM server certificates (SSL/TLS) and their expiration',
  scope: 'account',
  permissions: ['iam:ListServerCertificates'],
  resourceSchema: resourceShape('AWS::IAM::ServerCertificate', {
    serverCertificateId: s.nullable(s.string),
    path: s.string,
    uploadDate: s.nullable(s.string),
    expiration: s.nullable(s.string),
  }),
  async collect(ctx) {
    const iam = ctx.clients.get(IAMClient);
    const { items, pages } = await collectPages(paginateListServerCertificates({ client: iam, pageSize: 1000 }, {}), (p) => p.ServerCertificateMetadataList);
    const resources = items.map((c) => normaliseServerCertificate(c, ctx.account)).sort((a, b) => a.id.localeCompare(b.id));
    return { raw: { ListServerCertificates: pages.map(stripMetadata) }, resources };
  },
};
