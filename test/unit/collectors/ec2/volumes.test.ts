import { describe, expect, it } from 'vitest';
import { normaliseVolume } from '../../../../collectors/ec2/volumes.js';

describe('ec2.volumes normaliser', () => {
  it('marks only settled attachments as attached', () => {
    const base = { VolumeId: 'vol-1', Encrypted: false };
    expect(normaliseVolume({ ...base, Attachments: [{ InstanceId: 'i-1', State: 'attached' }] }, '1', 'us-east-1')).toMatchObject({ attached: true, encrypted: false });
    expect(normaliseVolume({ ...base, Attachments: [{ InstanceId: 'i-1', State: 'detaching' }] }, '1', 'us-east-1')).toMatchObject({ attached: false });
    expect(normaliseVolume({ ...base, Tags: [{ Key: 'Name', Value: 'data' }] }, '1', 'us-east-1')).toMatchObject({
      id: 'arn:aws:ec2:us-east-1:1:volume/vol-1',
      name: 'data',
      attached: false,
    });
  });
});
