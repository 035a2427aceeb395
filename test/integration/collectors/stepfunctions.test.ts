import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * Step Functions against moto (issue 12): the demo organisation seeded in both regions with real SDK calls, the
 * real collector's normalised evidence, then the pipeline against test/fixtures/estate/stepfunctions.yaml.
 */
const { seeded, evidence } = useRegionService('stepfunctions');

describe('stepfunctions evidence', () => {
  it('stepfunctions.state-machines: logging level and destinations, never the definition', () => {
    const machines = evidence().resources('stepfunctions.state-machines', seeded.estate.member, 'eu-west-1');
    expect(byName(machines, 'ap-orders-flow')).toMatchObject({ type: 'AWS::StepFunctions::StateMachine', logLevel: 'ERROR', logDestinations: [`arn:aws:logs:eu-west-1:${seeded.estate.member}:log-group:/auditpack-demo/states:*`] });
    expect(byName(machines, 'ap-legacy-flow')).toMatchObject({ logLevel: 'OFF', logDestinations: [] });
    expect(JSON.stringify(evidence().record('stepfunctions.state-machines', seeded.estate.member, 'eu-west-1').raw)).not.toContain('Succeed');
  });
});
