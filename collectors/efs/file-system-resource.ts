import type { FileSystemDescription } from '@aws-sdk/client-efs';
import type { Resource } from '../../src/core/types.js';

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
