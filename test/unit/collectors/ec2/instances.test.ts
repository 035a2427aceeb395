import { describe, expect, it } from 'vitest';
import { normaliseInstance } from '../../../../collectors/ec2/instances.js';

describe('ec2.instances normaliser', () => {
  it('merges instance and network interface security groups and keeps IMDS options', () => {
    const instance = normaliseInstance(
      {
        InstanceId: 'i-1',
        State: { Name: 'stopped' },
        SecurityGroups: [{ GroupId: 'sg-b' }],
        NetworkInterfaces: [{ Groups: [{ GroupId: 'sg-a' }, { GroupId: 'sg-b' }] }],
        MetadataOptions: { HttpTokens: 'optional' },
      },
      '1',
      'us-east-1',
    );
    expect(instance).toMatchObject({ state: 'stopped', securityGroups: ['sg-a', 'sg-b'], metadataOptions: { httpTokens: 'optional', httpEndpoint: null } });
  });
});
