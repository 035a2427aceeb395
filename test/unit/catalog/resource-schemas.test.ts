/** Every collector publishes the shape of its resources; the normalisers' output must match it exactly. */
import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { analyzersResource } from '../../../collectors/accessanalyzer/analyzers.js';
import { securityContactResource } from '../../../collectors/account/alternate-contact.js';
import { normaliseInstance as ec2Instance } from '../../../collectors/ec2/instances.js';
import { normaliseSecurityGroup } from '../../../collectors/ec2/security-groups.js';
import { normaliseSnapshot } from '../../../collectors/ec2/snapshots.js';
import { normaliseVolume } from '../../../collectors/ec2/volumes.js';
import { normaliseVpc } from '../../../collectors/ec2/vpcs-flow-logs.js';
import { groupResource, policyResource, roleResource, userResource } from '../../../collectors/iam/authorization-details.js';
import { credentialReportResources } from '../../../collectors/iam/credential-report-parse.js';
import { passwordPolicyResource } from '../../../collectors/iam/password-policy.js';
import { virtualMfaResource } from '../../../collectors/iam/virtual-mfa-devices.js';
import { normaliseFunction } from '../../../collectors/lambda/functions.js';
import { normaliseInstance as rdsInstance } from '../../../collectors/rds/instances.js';
import { normaliseSecret } from '../../../collectors/secretsmanager/secrets.js';
import { ResourceSchemas } from '../../../src/catalog/resource-schemas.js';
import { normaliseSnapshot as rdsSnapshot } from '../../../collectors/rds/snapshots.js';
import { normaliseSubnet } from '../../../collectors/ec2/subnets.js';
import { normaliseVpcEndpoint } from '../../../collectors/ec2/vpc-endpoints.js';
import { normaliseCluster as rdsCluster } from '../../../collectors/rds/clusters.js';
import { normaliseTransitGateway } from '../../../collectors/ec2/transit-gateways.js';
import { normaliseGroup } from '../../../collectors/autoscaling/groups.js';
import { normaliseLaunchConfiguration } from '../../../collectors/autoscaling/launch-configurations.js';
import { normaliseCluster } from '../../../collectors/eks/clusters.js';
import { normaliseStateMachine } from '../../../collectors/stepfunctions/state-machines.js';
import { normaliseProject } from '../../../collectors/codebuild/projects.js';

const schemas = new ResourceSchemas(collectors);
const when = new Date('2024-01-01T00:00:00Z');
const doc = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
const csv = [
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,cert_1_active,cert_1_last_rotated',
  '<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  'alice,arn:aws:iam::111111111111:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-01T00:00:00+00:00,N/A,false,true,2020-01-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,true,2020-01-01T00:00:00+00:00',
].join('\n');

/** Output of each collector's own normaliser, from SDK-shaped input (the integration tests cover the rest against moto). */
const samples: [string, unknown[]][] = [
  ['accessanalyzer.analyzers', [analyzersResource('111111111111', 'us-east-1', [{ arn: 'arn:a', name: 'a', type: 'ACCOUNT', status: 'ACTIVE', createdAt: when, lastResourceAnalyzed: undefined, statusReason: { code: 'AWS_SERVICE_ACCESS_DISABLED' } } as never])]],
  ['account.alternate-contact', [securityContactResource('111111111111', undefined), securityContactResource('111111111111', { Name: 'n', EmailAddress: 'e', PhoneNumber: 'p', Title: 't' })]],
  ['ec2.instances', [ec2Instance({ InstanceId: 'i-1', State: { Name: 'running' }, MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 }, LaunchTime: when, SecurityGroups: [{ GroupId: 'sg-1' }] }, '111111111111', 'us-east-1')]],
  ['ec2.security-groups', [normaliseSecurityGroup({ GroupId: 'sg-1', GroupName: 'default', VpcId: 'vpc-1', IpPermissions: [{ IpProtocol: '6', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], UserIdGroupPairs: [{ GroupId: 'sg-2' }], PrefixListIds: [{ PrefixListId: 'pl-1' }] }], IpPermissionsEgress: [{ IpProtocol: '-1' }] }, '111111111111', 'us-east-1')]],
  ['ec2.snapshots', [normaliseSnapshot({ SnapshotId: 'snap-1', VolumeId: 'vol-1', StartTime: when, Encrypted: true }, [{ Group: 'all' }, { UserId: '222222222222' }], 'us-east-1')]],
  ['ec2.volumes', [normaliseVolume({ VolumeId: 'vol-1', Size: 8, Attachments: [{ InstanceId: 'i-1', Device: '/dev/xvda', State: 'attached' }] }, '111111111111', 'us-east-1')]],
  ['ec2.vpcs-flow-logs', [normaliseVpc({ VpcId: 'vpc-1', IsDefault: true }, [{ FlowLogId: 'fl-1', ResourceId: 'vpc-1', TrafficType: 'ALL', FlowLogStatus: 'ACTIVE' }], '111111111111', 'us-east-1')]],
  [
    'iam.authorization-details',
    [
      userResource({ Arn: 'arn:u', UserName: 'u', CreateDate: when, UserPolicyList: [{ PolicyName: 'p', PolicyDocument: doc }], AttachedManagedPolicies: [{ PolicyArn: 'arn:p' }] }),
      groupResource({ Arn: 'arn:g', GroupName: 'g' }),
      roleResource({ Arn: 'arn:r', RoleName: 'r', AssumeRolePolicyDocument: doc, RoleLastUsed: { LastUsedDate: when } }),
      policyResource({ Arn: 'arn:p', PolicyName: 'p', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc }] }),
    ],
  ],
  ['iam.credential-report', credentialReportResources(csv, '111111111111', when.toISOString())],
  ['iam.password-policy', [passwordPolicyResource('111111111111', undefined), passwordPolicyResource('111111111111', { MinimumPasswordLength: 14, RequireSymbols: true })]],
  ['iam.virtual-mfa-devices', [virtualMfaResource('111111111111', [{ SerialNumber: 'arn:aws:iam::111111111111:mfa/root-account-mfa-device', EnableDate: when }])]],
  ['lambda.functions', [normaliseFunction({ FunctionArn: 'arn:f', FunctionName: 'f', Environment: { Variables: { DB_PASSWORD: 'hunter2hunter2', LOG_LEVEL: 'info' } } }, 'us-east-1')]],
  ['rds.instances', [rdsInstance({ DBInstanceArn: 'arn:db', DBInstanceIdentifier: 'db', StorageEncrypted: true }, 'us-east-1')]],
  // issue 12: compute, network and databases
  ['rds.snapshots', [rdsSnapshot('instance', { DBSnapshotArn: 'arn:s', DBSnapshotIdentifier: 's', Encrypted: true }, [{ AttributeName: 'restore', AttributeValues: ['all', '222222222222'] }], 'us-east-1'), rdsSnapshot('cluster', { DBClusterSnapshotIdentifier: 'c' }, [], 'us-east-1')]],
  ['rds.clusters', [rdsCluster({ DBClusterArn: 'arn:c', DBClusterIdentifier: 'c', DeletionProtection: true }, 'us-east-1')]],
  ['ec2.vpc-endpoints', [normaliseVpcEndpoint({ VpcEndpointId: 'vpce-1', VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.ec2', VpcEndpointType: 'Interface', State: 'Available' }, '111111111111', 'us-east-1')]],
  ['ec2.subnets', [normaliseSubnet({ SubnetId: 'subnet-1', MapPublicIpOnLaunch: true }, '111111111111', 'us-east-1')]],
  ['ec2.transit-gateways', [normaliseTransitGateway({ TransitGatewayId: 'tgw-1', Options: { AutoAcceptSharedAttachments: 'enable' } }, '111111111111', 'us-east-1')]],
  ['autoscaling.groups', [normaliseGroup({ AutoScalingGroupName: 'g', LoadBalancerNames: ['lb'], AvailabilityZones: ['us-east-1a'] } as never, '111111111111', 'us-east-1')]],
  ['autoscaling.launch-configurations', [normaliseLaunchConfiguration({ LaunchConfigurationName: 'l', MetadataOptions: { HttpTokens: 'required' } } as never, '111111111111', 'us-east-1')]],
  ['eks.clusters', [normaliseCluster('c', { logging: { clusterLogging: [{ types: ['audit'], enabled: true }] } }, '111111111111', 'us-east-1'), normaliseCluster('d', undefined, '111111111111', 'us-east-1')]],
  ['stepfunctions.state-machines', [normaliseStateMachine({ stateMachineArn: 'arn:sm', name: 'sm' } as never, undefined, 'us-east-1')]],
  ['codebuild.projects', [normaliseProject({ arn: 'arn:p', name: 'p' }, 'us-east-1')]],
  ['secretsmanager.secrets', [normaliseSecret({ ARN: 'arn:s', Name: 's', RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 30 }, LastRotatedDate: when }, 'us-east-1'), normaliseSecret({ ARN: 'arn:t', Name: 't' }, 'us-east-1')]],
];

describe('collector resource schemas', () => {
  it('are declared by every collector, closed, and compile', () => {
    for (const c of collectors) {
      expect(c.resourceSchema, c.id).toBeTypeOf('object');
      expect(() => schemas.outputProblem(c.id, {}), c.id).not.toThrow();
    }
  });

  it.each(samples)('%s: normaliser output matches the published schema exactly', (id, resources) => {
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(schemas.outputProblem(id, resource), JSON.stringify(resource)).toBeUndefined();
  });

  it('reports a field the schema does not know, with the field it probably meant', () => {
    const problem = schemas.fixtureProblem('s3.buckets', { id: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket', versioningStatus: 'Enabled' });
    expect(problem).toEqual({ path: ['versioningStatus'], problem: 'unknown field "versioningStatus" in a resource of s3.buckets', fix: 'did you mean "versioning"?' });
    expect(schemas.fixtureProblem('s3.buckets', { id: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket', versioning: 'Enabled' })).toBeUndefined();
    expect(schemas.outputProblem('s3.buckets', { id: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket', versioning: 'Enabled' })?.problem).toMatch(/is required/);
  });
});
