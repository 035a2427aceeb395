import { ebsEncryptionByDefault } from './ec2/ebs-encryption-by-default.js';
import { instances } from './ec2/instances.js';
import { securityGroups } from './ec2/security-groups.js';
import { snapshots } from './ec2/snapshots.js';
import { volumes } from './ec2/volumes.js';
import { vpcsFlowLogs } from './ec2/vpcs-flow-logs.js';
import { accountPublicAccessBlock } from './s3/account-public-access-block.js';
import { buckets } from './s3/buckets.js';
import type { Collector } from './types.js';

/** Storage and network evidence: S3, EBS, EC2 and VPC. */
export const storageNetworkCollectors: Collector[] = [
  accountPublicAccessBlock,
  buckets,
  ebsEncryptionByDefault,
  volumes,
  snapshots,
  vpcsFlowLogs,
  securityGroups,
  instances,
];
