/**
 * AWS::EFS::FileSystem configuration item → the resource efs.file-systems emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::EFS::FileSystem.properties.json`): CloudFormation-style
 * PascalCase, `configuration = {Arn, FileSystemId, Encrypted, KmsKeyId, PerformanceMode, ThroughputMode,
 * BackupPolicy.Status, LifecyclePolicies, …}`. There is no LifeCycleState and no Name (the Name tag is in
 * FileSystemTags, which the schema does not guarantee): both are read live.
 */
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseFileSystem } from './file-system-resource.js';

/** The file system an item describes and the fields it could not fill; undefined when it does not identify one. */
export function fileSystemFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const id = text(c?.FileSystemId, 128);
  const arn = text(c?.Arn);
  if (!c || !where || !id || id !== item.resourceId || !arn?.startsWith('arn:')) return undefined;
  const missing = new Missing();
  missing.add('name', 'lifeCycleState');
  const encrypted = missing.need(bool(c.Encrypted), 'encrypted');
  // CloudFormation-style items leave unset properties out; an unencrypted file system has no key by definition.
  const kmsKeyId = missing.need(c.KmsKeyId === undefined && encrypted === false ? null : textOrNull(c.KmsKeyId), 'kmsKeyId');
  return missing.apply(normaliseFileSystem({ FileSystemArn: arn, FileSystemId: id, Encrypted: encrypted, KmsKeyId: kmsKeyId ?? undefined }, where.region));
}
