import { seedEc2 } from './storage-network/ec2.js';
import { seedS3 } from './storage-network/s3.js';
import type { Seeder } from './types.js';

/** S3 buckets and account Block Public Access; VPCs, security groups, instances, EBS volumes and snapshots. */
export const storageNetworkSeeders: Seeder[] = [seedS3, seedEc2];
