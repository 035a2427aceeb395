import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * EFS against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('efs');

describe('efs evidence', () => {
  it('efs.file-systems: encryption', () => {
    const fss = evidence().resources('efs.file-systems', seeded.estate.management, 'us-east-1');
    expect(byName(fss, 'auditpack-shared-data')).toMatchObject({ type: 'AWS::EFS::FileSystem', encrypted: true });
    expect(byName(fss, 'auditpack-scratch')).toMatchObject({ encrypted: false });
    expect(byName(fss, 'auditpack-scratch').id).toMatch(new RegExp(`^arn:aws:elasticfilesystem:us-east-1:${seeded.estate.management}:file-system/fs-`));
  });
});
