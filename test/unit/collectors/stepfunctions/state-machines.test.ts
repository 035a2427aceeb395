import { describe, expect, it } from 'vitest';
import { normaliseStateMachine } from '../../../../collectors/stepfunctions/state-machines.js';

describe('stepfunctions.state-machines normaliser', () => {
  it('no logging configuration is OFF; destinations are the log group ARNs', () => {
    const item = { stateMachineArn: 'arn:sm', name: 'sm', type: 'STANDARD' as const, creationDate: new Date(0) };
    expect(normaliseStateMachine(item, undefined, 'us-east-1')).toMatchObject({ logLevel: 'OFF', logDestinations: [], tracingEnabled: false, machineType: 'STANDARD' });
    expect(
      normaliseStateMachine(item, { stateMachineArn: 'arn:sm', name: 'sm', definition: '{}', roleArn: 'r', type: 'EXPRESS', creationDate: new Date(0), loggingConfiguration: { level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:lg:*' } }] } }, 'us-east-1'),
    ).toMatchObject({ logLevel: 'ALL', logDestinations: ['arn:lg:*'], machineType: 'EXPRESS' });
  });
});
