import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
  paginateDescribeConfigRules,
  type ConfigurationRecorder,
  type ConfigurationRecorderStatus,
} from '@aws-sdk/client-config-service';
import { accountResourceId, collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * AWS Config in one region as an account-level fact (Config.1 is per account and region): the customer-managed
 * recorder, whether it records and what, its role, and the delivery channel. Config rules are kept as evidence.
 */
export const configRecorders: Collector = {
  id: 'config.recorders',
  version: '1',
  title: 'AWS Config recorder, recorder status and delivery channel',
  scope: 'region',
  permissions: [
    'config:DescribeConfigurationRecorders',
    'config:DescribeConfigurationRecorderStatus',
    'config:DescribeDeliveryChannels',
    'config:DescribeConfigRules',
  ],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      recorderPresent: s.boolean,
      recorderName: s.nullable(s.string),
      recording: s.boolean,
      lastStatus: s.nullable(s.string),
      allSupported: s.boolean,
      includeGlobalResourceTypes: s.boolean,
      recordingStrategy: s.nullable(s.string),
      roleArn: s.nullable(s.string),
      deliveryChannelPresent: s.boolean,
      deliveryChannels: s.array(s.object({ name: s.nullable(s.string), s3BucketName: s.nullable(s.string), snsTopicArn: s.nullable(s.string) })),
      configRuleCount: s.integer,
      recorders: s.array(
        s.object({ name: s.nullable(s.string), servicePrincipal: s.nullable(s.string), roleArn: s.nullable(s.string), recording: s.boolean, lastStatus: s.nullable(s.string), allSupported: s.boolean, includeGlobalResourceTypes: s.boolean, recordingStrategy: s.nullable(s.string), resourceTypes: s.array(s.string) }),
      ),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(ConfigServiceClient);
    const recordersOut = await client.send(new DescribeConfigurationRecordersCommand({}));
    const statusOut = await client.send(new DescribeConfigurationRecorderStatusCommand({}));
    const channelsOut = await client.send(new DescribeDeliveryChannelsCommand({}));
    const rules = await collectPages(paginateDescribeConfigRules({ client }, {}), (p) => p.ConfigRules);

    const recorders = (recordersOut.ConfigurationRecorders ?? []).map((rec) => normaliseRecorder(rec, statusOut.ConfigurationRecordersStatus ?? []));
    // Service-linked recorders (owned by another AWS service) do not count as the account's own recording.
    const own = recorders.find((r) => !r.servicePrincipal) ?? null;
    const channels = channelsOut.DeliveryChannels ?? [];
    return {
      raw: {
        DescribeConfigurationRecorders: stripMetadata(recordersOut),
        DescribeConfigurationRecorderStatus: stripMetadata(statusOut),
        DescribeDeliveryChannels: stripMetadata(channelsOut),
        DescribeConfigRules: rules.pages.map(stripMetadata),
      },
      resources: [
        {
          id: accountResourceId(ctx.account),
          type: 'AWS::::Account',
          name: ctx.account,
          region: ctx.region,
          recorderPresent: own !== null,
          recorderName: own?.name ?? null,
          recording: own?.recording ?? false,
          lastStatus: own?.lastStatus ?? null,
          allSupported: own?.allSupported ?? false,
          includeGlobalResourceTypes: own?.includeGlobalResourceTypes ?? false,
          recordingStrategy: own?.recordingStrategy ?? null,
          roleArn: own?.roleArn ?? null,
          deliveryChannelPresent: channels.length > 0,
          deliveryChannels: channels.map((c) => ({ name: c.name ?? null, s3BucketName: c.s3BucketName ?? null, snsTopicArn: c.snsTopicARN ?? null })),
          configRuleCount: rules.items.length,
          recorders,
        },
      ],
    };
  },
};

interface NormalisedRecorder {
  name: string | null;
  servicePrincipal: string | null;
  roleArn: string | null;
  recording: boolean;
  lastStatus: string | null;
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
  recordingStrategy: string | null;
  resourceTypes: string[];
}

function normaliseRecorder(rec: ConfigurationRecorder, statuses: ConfigurationRecorderStatus[]): NormalisedRecorder {
  const status = statuses.find((s) => s.name === rec.name);
  const group = rec.recordingGroup;
  return {
    name: rec.name ?? null,
    servicePrincipal: rec.servicePrincipal ?? null,
    roleArn: rec.roleARN ?? null,
    recording: status?.recording === true,
    lastStatus: status?.lastStatus ?? null,
    allSupported: group?.allSupported === true,
    includeGlobalResourceTypes: group?.includeGlobalResourceTypes === true,
    recordingStrategy: group?.recordingStrategy?.useOnly ?? (group?.allSupported ? 'ALL_SUPPORTED_RESOURCE_TYPES' : null),
    resourceTypes: group?.resourceTypes ?? [],
  };
}
