import { DescribeStateMachineCommand, paginateListStateMachines, SFNClient, type DescribeStateMachineCommandOutput, type StateMachineListItem } from '@aws-sdk/client-sfn';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** Fields DescribeStateMachine fills (left out when it was refused). */
const DESCRIBED = ['machineType', 'logLevel', 'logDestinations', 'tracingEnabled'] as const;

/** A listed state machine and its description → the resource stepfunctions.state-machines emits. */
export function normaliseStateMachine(item: StateMachineListItem, described: Omit<DescribeStateMachineCommandOutput, '$metadata'> | undefined, region: string): Resource {
  const logging = described?.loggingConfiguration;
  return {
    id: item.stateMachineArn as string,
    type: 'AWS::StepFunctions::StateMachine',
    name: item.name ?? '',
    region,
    machineType: described?.type ?? item.type ?? null,
    // ALL, ERROR, FATAL or OFF (moto and AWS answer OFF when logging was never configured).
    logLevel: logging?.level ?? 'OFF',
    logDestinations: (logging?.destinations ?? []).map((d) => d.cloudWatchLogsLogGroup?.logGroupArn).filter((a): a is string => Boolean(a)).sort(),
    tracingEnabled: described?.tracingConfiguration?.enabled === true,
  };
}

async function describe(client: SFNClient, item: StateMachineListItem, region: string): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const arn = item.stateMachineArn as string;
  const answer = await calls.call(`DescribeStateMachine:${item.name ?? arn}`, DESCRIBED, () => client.send(new DescribeStateMachineCommand({ stateMachineArn: arn })));
  // The definition can hold anything (endpoints, inline parameters): it is not kept in evidence.
  if (answer.ok && answer.value) calls.raw[`DescribeStateMachine:${item.name ?? arn}`] = { ...stripMetadata(answer.value), definition: '<not kept>' };
  return { resource: calls.resource(normaliseStateMachine(item, answer.ok ? answer.value : undefined, region)), raw: calls.raw };
}

/** Step Functions ListStateMachines plus DescribeStateMachine per state machine: logging and tracing (StepFunctions.1). */
export const stepfunctionsStateMachines: Collector = {
  id: 'stepfunctions.state-machines',
  version: '1',
  title: 'Step Functions state machines',
  scope: 'region',
  permissions: ['states:ListStateMachines', 'states:DescribeStateMachine'],
  resourceSchema: resourceShape(
    'AWS::StepFunctions::StateMachine',
    {
      machineType: s.nullable(s.string),
      logLevel: s.string,
      logDestinations: s.array(s.string),
      tracingEnabled: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(SFNClient);
    const { items, pages } = await collectPages(paginateListStateMachines({ client, pageSize: 1000 }, {}), (p) => p.stateMachines);
    const listed = items.filter((m) => m.stateMachineArn);
    const described = await ctx.map(listed, (m) => describe(client, m, ctx.region));
    const raw: Record<string, unknown> = { ListStateMachines: pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
