import { describe, expect, it } from 'vitest';
import { isConfirmed, subscriptionsOf } from '../../../../collectors/sns/topics.js';

describe('sns.topics subscriptions', () => {
  it('counts a subscription as confirmed only when SNS gave it an ARN', () => {
    expect(isConfirmed({ SubscriptionArn: 'arn:aws:sns:us-east-1:111111111111:t:0f6c' })).toBe(true);
    expect(isConfirmed({ SubscriptionArn: 'PendingConfirmation' })).toBe(false);
    expect(isConfirmed({ SubscriptionArn: 'Deleted' })).toBe(false);
    expect(isConfirmed({})).toBe(false);
  });
  it('keeps protocol and confirmation only, never the endpoint', () => {
    expect(
      subscriptionsOf([
        { Protocol: 'email', Endpoint: 'a@example.com', SubscriptionArn: 'PendingConfirmation' },
        { Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:1:q', SubscriptionArn: 'arn:aws:sns:us-east-1:1:t:1' },
        { Protocol: 'email', Endpoint: 'b@example.com', SubscriptionArn: 'arn:aws:sns:us-east-1:1:t:2' },
      ]),
    ).toEqual([
      { protocol: 'email', confirmed: true },
      { protocol: 'email', confirmed: false },
      { protocol: 'sqs', confirmed: true },
    ]);
  });
});
