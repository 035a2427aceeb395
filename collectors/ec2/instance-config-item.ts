/**
 * AWS::EC2::Instance configuration item → the resource ec2.instances emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::EC2::Instance.properties.json`; rdk example_ci
 * AWS_EC2_Instance.json): `configuration` has instanceId, instanceType, imageId, vpcId, subnetId, launchTime,
 * publicIpAddress, `state:{code, name}` (the schema also lists `state.value`), `metadataOptions:{state,
 * httpTokens, httpPutResponseHopLimit, httpEndpoint, …}`, `securityGroups:[{groupName, groupId}]`,
 * `networkInterfaces:[{groups:[{groupId, groupName}], …}]` and `tags:[{key, value}]`.
 */
import type { GroupIdentifier, Instance, InstanceNetworkInterface } from '@aws-sdk/client-ec2';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { date, intOrNull, list, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseInstance } from './instance-resource.js';
import { stateFromConfig, tagsFromConfig } from './volume-config-item.js';

function groups(value: unknown): GroupIdentifier[] | undefined {
  if (value === null) return [];
  const items = list(value);
  if (!items) return undefined;
  const out: GroupIdentifier[] = [];
  for (const entry of items) {
    const id = text(obj(entry)?.groupId, 256);
    if (id === undefined) return undefined;
    out.push({ GroupId: id });
  }
  return out;
}

function interfaces(value: unknown): InstanceNetworkInterface[] | undefined {
  if (value === null) return [];
  const items = list(value);
  if (!items) return undefined;
  const out: InstanceNetworkInterface[] = [];
  for (const entry of items) {
    const g = groups(obj(entry)?.groups ?? null);
    if (!obj(entry) || !g) return undefined;
    out.push({ Groups: g });
  }
  return out;
}

/** The instance an item describes and the fields it could not fill; undefined when it does not identify one. */
export function instanceFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const instanceId = text(c?.instanceId, 256);
  if (!c || !where || !instanceId || instanceId !== item.resourceId) return undefined;
  const missing = new Missing();
  const tags = missing.need(tagsFromConfig(c.tags), 'name');
  const state = missing.need(stateFromConfig(c.state, 'name'), 'state');
  const instanceType = missing.need(textOrNull(c.instanceType, 64), 'instanceType');
  const imageId = missing.need(textOrNull(c.imageId), 'imageId');
  const vpcId = missing.need(textOrNull(c.vpcId), 'vpcId');
  const subnetId = missing.need(textOrNull(c.subnetId), 'subnetId');
  const launchTime = missing.need(c.launchTime === null ? null : date(c.launchTime), 'launchTime');
  const publicIp = missing.need(textOrNull(c.publicIpAddress, 64), 'publicIp');
  const m = obj(c.metadataOptions);
  const httpTokens = textOrNull(m?.httpTokens);
  const httpEndpoint = textOrNull(m?.httpEndpoint);
  const hopLimit = intOrNull(m?.httpPutResponseHopLimit);
  if (!m || httpTokens === undefined || httpEndpoint === undefined || hopLimit === undefined) missing.add('metadataOptions');
  const sgs = groups(c.securityGroups);
  // iamInstanceProfile: {arn, id} or null when the instance has none.
  const profileArn = c.iamInstanceProfile === null || c.iamInstanceProfile === undefined ? null : textOrNull(obj(c.iamInstanceProfile)?.arn);
  if (profileArn === undefined) missing.add('iamInstanceProfile');
  const profile = profileArn ? { Arn: profileArn } : null;
  const enis = interfaces(c.networkInterfaces);
  if (!sgs || !enis) missing.add('securityGroups');
  const instance: Instance = {
    InstanceId: instanceId,
    Tags: tags,
    State: state ? { Name: state as NonNullable<Instance['State']>['Name'] } : undefined,
    InstanceType: (instanceType ?? undefined) as Instance['InstanceType'],
    ImageId: imageId ?? undefined,
    VpcId: vpcId ?? undefined,
    SubnetId: subnetId ?? undefined,
    LaunchTime: launchTime ?? undefined,
    PublicIpAddress: publicIp ?? undefined,
    MetadataOptions: {
      HttpTokens: (httpTokens ?? undefined) as NonNullable<Instance['MetadataOptions']>['HttpTokens'],
      HttpEndpoint: (httpEndpoint ?? undefined) as NonNullable<Instance['MetadataOptions']>['HttpEndpoint'],
      HttpPutResponseHopLimit: hopLimit ?? undefined,
    },
    SecurityGroups: sgs ?? [],
    NetworkInterfaces: enis ?? [],
    IamInstanceProfile: profile ?? undefined,
  };
  return missing.apply(normaliseInstance(instance, where.account, where.region));
}
