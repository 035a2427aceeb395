import { EFSClient, paginateDescribeFileSystems } from '@aws-sdk/client-efs';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseFileSystem } from './file-system-resource.js';
import { fileSystemFromConfig } from './file-system-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseFileSystem };

/** EFS file systems: encryption at rest (EFS.1, EFS.8). */
export const efsFileSystems: Collector = {
  id: 'efs.file-systems',
  version: '1',
  title: 'EFS file systems',
  scope: 'region',
  permissions: ['elasticfilesystem:DescribeFileSystems'],
  resourceSchema: resourceShape(
    'AWS::EFS::FileSystem',
    {
      fileSystemId: s.nullable(s.string),
      lifeCycleState: s.nullable(s.string),
      encrypted: s.boolean,
      kmsKeyId: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EFSClient);
    const listed = await collectPages(paginateDescribeFileSystems({ client, pageSize: 100 }, {}), (p) => p.FileSystems);
    const live = listed.items.map((fs) => normaliseFileSystem(fs, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    const preferred = await preferConfigItems(ctx, 'AWS::EFS::FileSystem', live, (r) => [r.fileSystemId as string | null ?? undefined], fileSystemFromConfig);
    return { raw: { DescribeFileSystems: listed.pages.map(stripMetadata), ...preferred.raw }, resources: preferred.resources };
  },
};

