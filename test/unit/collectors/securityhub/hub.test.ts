import { describe, expect, it } from 'vitest';
import { hubResource } from '../../../../collectors/securityhub/hub.js';

describe('securityhub.hub', () => {
  it('is enabled when DescribeHub returns the hub', () => {
    expect(hubResource('111111111111', 'us-east-1', { $metadata: {}, HubArn: 'arn:aws:securityhub:us-east-1:111111111111:hub/default', SubscribedAt: '2026-01-01T00:00:00Z', AutoEnableControls: true })).toEqual({
      id: 'AWS::::Account:111111111111',
      type: 'AWS::::Account',
      name: '111111111111',
      region: 'us-east-1',
      enabled: true,
      hubArn: 'arn:aws:securityhub:us-east-1:111111111111:hub/default',
      subscribedAt: '2026-01-01T00:00:00Z',
      autoEnableControls: true,
    });
  });
  it('is not enabled when DescribeHub answered InvalidAccessException (absent)', () => {
    expect(hubResource('111111111111', 'eu-west-1', undefined)).toMatchObject({ enabled: false, hubArn: null, subscribedAt: null, autoEnableControls: null });
  });
});
