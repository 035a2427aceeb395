import { describe, expect, it } from 'vitest';
import { normaliseVpc } from '../../../../collectors/ec2/vpcs-flow-logs.js';

describe('ec2.vpcs-flow-logs normaliser', () => {
  it('attaches only the VPC-level flow logs of each VPC', () => {
    const vpc = normaliseVpc({ VpcId: 'vpc-1', IsDefault: true }, [
      { FlowLogId: 'fl-1', ResourceId: 'vpc-1', TrafficType: 'REJECT', FlowLogStatus: 'ACTIVE', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::b' },
      { FlowLogId: 'fl-2', ResourceId: 'subnet-1', TrafficType: 'ALL', FlowLogStatus: 'ACTIVE' },
    ], '1', 'us-east-1');
    expect(vpc).toMatchObject({ isDefault: true, flowLogs: [{ id: 'fl-1', status: 'ACTIVE', trafficType: 'REJECT', destinationType: 's3', destination: 'arn:aws:s3:::b' }] });
    expect((vpc.flowLogs as unknown[]).length).toBe(1);
  });
});
