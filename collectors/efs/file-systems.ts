import { EFSClient, paginateDescribeFileSystems, type FileSystemDescription } from '@aws-sdk/client-efs';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

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
    return {
      raw: { DescribeFileSystems: listed.pages.map(stripMetadata) },
      resources: listed.items.map((fs) => normaliseFileSystem(fs, ctx.region)),
    };
  },
};

/** One file system as DescribeFileSystems returns it (the Config item path maps onto this shape too). */
export function normaliseFileSystem(fs: Partial<FileSystemDescription>, region: string): Resource {
  return {
    id: fs.FileSystemArn ?? `file-system/${fs.FileSystemId ?? 'unknown'}`,
    type: 'AWS::EFS::FileSystem',
    name: fs.Name || fs.FileSystemId || '',
    region,
    fileSystemId: fs.FileSystemId ?? null,
    lifeCycleState: fs.LifeCycleState ?? null,
    encrypted: fs.Encrypted === true,
    kmsKeyId: fs.KmsKeyId ?? null,
  };
}
