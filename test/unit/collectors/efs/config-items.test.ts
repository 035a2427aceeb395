/** efs Config item normaliser (issue 11). moto gap: moto serves no AWS::EFS::FileSystem items. */
import { describe, expect, it } from 'vitest';
import { fileSystemFromConfig } from '../../../../collectors/efs/file-system-config-item.js';
import { normaliseFileSystem } from '../../../../collectors/efs/file-systems.js';
import { REGION, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

const ARN = 'arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1';
// Shape: aws-config-resource-schema AWS::EFS::FileSystem (PascalCase; no LifeCycleState, no Name).
const ITEM = configItem('AWS::EFS::FileSystem', 'fs-1', {
  FileSystemId: 'fs-1',
  Arn: ARN,
  Encrypted: true,
  KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  PerformanceMode: 'generalPurpose',
  ThroughputMode: 'bursting',
  BackupPolicy: { Status: 'ENABLED' },
});
const LIVE = normaliseFileSystem(
  { FileSystemId: 'fs-1', FileSystemArn: ARN, Name: 'shared', LifeCycleState: 'available', Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1' },
  REGION,
);

describe('efs Config item normaliser', () => {
  it('gives the live resource but for name and lifeCycleState, which are read live', () => {
    expect(fileSystemFromConfig(ITEM)).toEqual({ resource: without(LIVE, ['name', 'lifeCycleState']), missing: ['lifeCycleState', 'name'] });
  });

  it('an unencrypted file system without KmsKeyId has none; an encrypted one without it is missing', () => {
    const config = ITEM.configuration as Record<string, unknown>;
    const { KmsKeyId: _k, ...noKey } = config;
    expect(fileSystemFromConfig({ ...ITEM, configuration: { ...noKey, Encrypted: false } })?.resource).toMatchObject({ encrypted: false, kmsKeyId: null });
    expect(fileSystemFromConfig({ ...ITEM, configuration: noKey })?.missing).toEqual(['kmsKeyId', 'lifeCycleState', 'name']);
    expectHostileSafe(fileSystemFromConfig, ITEM);
  });
});
