import type { FaultRule } from './fault-proxy.js';

/**
 * A throttling storm over every service and region: a third of all AWS calls fail, each in its protocol's own
 * shape (first matching rule wins): 1/9 answered 503 unavailable, the rest of the third (2/9) throttled
 * (awsJson ThrottlingException, query and EC2 Throttling, restJson 429 TooManyRequestsException, S3 503 SlowDown).
 */
export const STORM_SHARE = 1 / 3;

export function stormRules(share = STORM_SHARE): FaultRule[] {
  const unavailable = share / 3;
  return [
    { rate: unavailable, fault: 'unavailable' },
    // Of the requests the first rule let through, the share that makes throttles 2/3 of all faults.
    { rate: (share - unavailable) / (1 - unavailable), fault: 'throttle' },
  ];
}
