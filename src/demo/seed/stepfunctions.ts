import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { SeededIds, Seeder } from './types.js';

const DEFINITION = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });

/** Step Functions (issue 12): in each region "ap-orders-flow" logs at level ERROR to CloudWatch Logs, "ap-legacy-flow" does not log. */
export const stepfunctionsSeeder: Seeder = {
  service: 'stepfunctions',
  async seed(target) {
    const { account, region, clients } = target;
    const sfn = clients.get(SFNClient);
    const ids: SeededIds = {};
    const roleArn = `arn:aws:iam::${account}:role/auditpack-demo-states`;
    const logGroupArn = `arn:aws:logs:${region}:${account}:log-group:/auditpack-demo/states:*`;
    const orders = await sfn.send(
      new CreateStateMachineCommand({
        name: 'ap-orders-flow',
        definition: DEFINITION,
        roleArn,
        loggingConfiguration: { level: 'ERROR', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] },
      }),
    );
    ids['statemachine/ap-orders-flow'] = orders.stateMachineArn as string;
    const legacy = await sfn.send(new CreateStateMachineCommand({ name: 'ap-legacy-flow', definition: DEFINITION, roleArn }));
    ids['statemachine/ap-legacy-flow'] = legacy.stateMachineArn as string;
    return ids;
  },
};
