import { CreateClusterCommand, EnableLoggingCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import type { SeededIds, Seeder } from './types.js';

/**
 * Redshift: a hardened warehouse cluster (private, encrypted, enhanced VPC routing, version upgrades, 7-day
 * snapshots, own admin name, audit logging) in every Region, and in the primary Region a legacy cluster with none
 * of that. Ids: `cluster/<name>` → ARN.
 */
export const redshiftSeeder: Seeder = {
  service: 'redshift',
  async seed(target) {
    const redshift = target.clients.get(RedshiftClient);
    const ids: SeededIds = {};
    const specs = [{ name: 'auditpack-warehouse', hardened: true }, ...(target.primary ? [{ name: 'auditpack-legacy-dw', hardened: false }] : [])];
    for (const spec of specs) {
      await redshift.send(
        new CreateClusterCommand({
          ClusterIdentifier: spec.name,
          NodeType: 'ra3.xlplus',
          ClusterType: 'single-node',
          MasterUsername: spec.hardened ? 'dwadmin' : 'awsuser',
          MasterUserPassword: 'Auditpack-Demo-1',
          PubliclyAccessible: !spec.hardened,
          Encrypted: spec.hardened,
          EnhancedVpcRouting: spec.hardened,
          AllowVersionUpgrade: spec.hardened,
          AutomatedSnapshotRetentionPeriod: spec.hardened ? 7 : 1,
        }),
      );
      if (spec.hardened) await redshift.send(new EnableLoggingCommand({ ClusterIdentifier: spec.name, LogDestinationType: 'cloudwatch', LogExports: ['connectionlog', 'userlog', 'useractivitylog'] }));
      ids[`cluster/${spec.name}`] = `arn:aws:redshift:${target.region}:${target.account}:cluster:${spec.name}`;
    }
    return ids;
  },
};
