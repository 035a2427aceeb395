import { CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import type { SeededIds, Seeder } from './types.js';

/** EFS: an encrypted shared file system everywhere, an unencrypted scratch file system in the primary Region. Ids: `file-system/<name>` → ARN. */
export const efsSeeder: Seeder = {
  service: 'efs',
  async seed(target) {
    const specs = [{ name: 'auditpack-shared-data', encrypted: true }, ...(target.primary ? [{ name: 'auditpack-scratch', encrypted: false }] : [])];
    const efs = target.clients.get(EFSClient);
    const ids: SeededIds = {};
    for (const spec of specs) {
      const fs = await efs.send(
        new CreateFileSystemCommand({ CreationToken: `${spec.name}-${target.region}`, Encrypted: spec.encrypted, Tags: [{ Key: 'Name', Value: spec.name }] }),
      );
      if (!fs.FileSystemArn) throw new Error(`CreateFileSystem ${spec.name} returned no ARN`);
      ids[`file-system/${spec.name}`] = fs.FileSystemArn;
    }
    return ids;
  },
};
