import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { authorizationDetails } from '../../../collectors/iam/authorization-details.js';
import { policyFromConfig, roleFromConfig } from '../../../collectors/iam/entity-config-item.js';
import { batchGetItems, listResourceIds } from '../../../src/collect/config-fetch.js';
import { decodeItem } from '../../../src/collect/config-items.js';
import { installMotoTimestampShim } from '../../../src/collect/config-moto-shim.js';
import type { ConfigItem, Resource } from '../../../src/core/types.js';
import { useMoto } from '../../helpers/moto.js';

/**
 * Issue 11 on moto's real IAM items: the Config normalisers give what iam.authorization-details gives live, but for
 * the fields they list as missing. moto gap: moto serves no AWS::IAM::User or AWS::IAM::Group items, its role
 * items always have roleLastUsed null (lastUsed is read live anyway) and its policy items have updateDate =
 * createDate and permissionsBoundaryUsageCount 0 (equal to live here: the policy was never updated).
 */
const moto = useMoto();
const REGION = 'us-east-1';
const DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

async function items(client: ConfigServiceClient, type: string): Promise<ConfigItem[]> {
  const ids = await listResourceIds(client, type);
  const { items: raw } = await batchGetItems(client, type, ids);
  return raw.map(decodeItem).filter((i): i is ConfigItem => i !== undefined);
}

const without = (r: Resource, fields: string[]): Resource => Object.fromEntries(Object.entries(r).filter(([k]) => !fields.includes(k))) as Resource;

describe('IAM Config items on moto', () => {
  it('role and customer-managed policy items normalise to the live resources', async () => {
    const config = { region: REGION, endpoint: moto.endpoint };
    const iam = new IAMClient(config);
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'ap-policy', PolicyDocument: JSON.stringify(DOC) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'ap-role', AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'ap-role', PolicyName: 'inl', PolicyDocument: JSON.stringify(DOC) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'ap-role', PolicyArn: policy.Policy?.Arn }));

    const live = await authorizationDetails.collect({
      account: '123456789012',
      region: REGION,
      clients: { get: (ctor) => new ctor({ region: REGION, endpoint: moto.endpoint }) },
      map: (list, fn) => Promise.all(list.map(fn)),
    });
    const liveById = new Map(live.resources.map((r) => [r.id, r]));

    const client = new ConfigServiceClient(config);
    installMotoTimestampShim(client as unknown as Parameters<typeof installMotoTimestampShim>[0]);
    const roles = (await items(client, 'AWS::IAM::Role')).map(roleFromConfig);
    const policies = (await items(client, 'AWS::IAM::Policy')).map(policyFromConfig);
    expect(roles).toHaveLength(1);
    expect(policies).toHaveLength(1);
    for (const out of [...roles, ...policies]) {
      expect(out).toBeDefined();
      const { resource, missing } = out as { resource: Resource; missing: string[] };
      expect(missing).toEqual(resource.type === 'AWS::IAM::Role' ? ['lastUsed'] : []);
      expect(resource).toEqual(without(liveById.get(resource.id) as Resource, missing));
    }
  });
});
