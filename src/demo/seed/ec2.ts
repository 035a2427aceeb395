import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import type { SeededIds, Seeder } from './types.js';
import { nameTag } from './vpc.js';

/** An AMI moto ships in every region and account. */
const DEMO_AMI = 'ami-12c6146b';

/** What `ec2` reads from the `vpc` seeder's ids. */
function seededId(seeded: Readonly<SeededIds>, name: string): string {
  const id = seeded[name];
  if (!id) throw new Error(`the ec2 seeder needs ${name} from the vpc seeder, which must run first`);
  return id;
}

/** CIS 1.18 (issue 12): an instance profile (with a role EC2 may assume) for the modern instance, per region. */
async function seedInstanceProfile(iam: IAMClient, region: string): Promise<string> {
  const name = `ap-app-${region}`;
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  return profile.InstanceProfile?.Arn as string;
}

/**
 * Instances (IMDSv2 required with an encrypted root volume; IMDSv1 allowed with a plain one, stopped outside the
 * primary region), data volumes (encrypted and plain attached, one plain unattached), snapshots (the plain
 * volume's public, the encrypted one's private or shared with one named account) and EBS encryption by default
 * (on in the primary region only).
 */
export const ec2Seeder: Seeder = {
  service: 'ec2',
  needs: ['vpc'],
  async seed(target) {
    const { region, primary, clients } = target;
    const ec2 = clients.get(EC2Client);
    const ids: SeededIds = {};
    const az = `${region}a`;
    const subnet = seededId(target.seeded, 'subnet/app-a');
    const restrictedSg = seededId(target.seeded, 'sg/web-restricted-admin');
    const profileArn = await seedInstanceProfile(clients.get(IAMClient), region);
    const launch = async (name: string, tokens: 'required' | 'optional', encryptedRoot: boolean, profile?: string) => {
      const instance = (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: DEMO_AMI,
            InstanceType: 't3.micro',
            MinCount: 1,
            MaxCount: 1,
            SubnetId: subnet,
            SecurityGroupIds: [restrictedSg],
            MetadataOptions: { HttpTokens: tokens, HttpEndpoint: 'enabled' },
            ...(profile ? { IamInstanceProfile: { Arn: profile } } : {}),
            BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8, Encrypted: encryptedRoot, DeleteOnTermination: true } }],
            TagSpecifications: nameTag('instance', name),
          }),
        )
      ).Instances?.[0];
      const instanceId = instance?.InstanceId as string;
      ids[`instance/${name}`] = instanceId;
      ids[`volume/${name}-root`] = instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId as string;
      return instanceId;
    };
    const modern = await launch('app-imdsv2', 'required', true, profileArn);
    const legacyInstance = await launch('legacy-imdsv1', 'optional', false);

    // Data volumes: one encrypted and one plain attached, one plain left unattached (out of EC2.3's scope).
    const volume = async (name: string, encrypted: boolean) => {
      const id = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: az, Size: 10, VolumeType: 'gp3', Encrypted: encrypted, TagSpecifications: nameTag('volume', name) }))).VolumeId as string;
      ids[`volume/${name}`] = id;
      return id;
    };
    const dataEncrypted = await volume('data-encrypted', true);
    const dataPlain = await volume('data-plain', false);
    await volume('spare-unattached', false);
    await ec2.send(new AttachVolumeCommand({ VolumeId: dataEncrypted, InstanceId: modern, Device: '/dev/sdf' }));
    await ec2.send(new AttachVolumeCommand({ VolumeId: dataPlain, InstanceId: legacyInstance, Device: '/dev/sdf' }));
    // A stopped instance is still in EC2.8's scope.
    if (!primary) await ec2.send(new StopInstancesCommand({ InstanceIds: [legacyInstance] }));

    // Snapshots: the plain volume's is public (restorable by anyone), the encrypted one's private
    // (shared with one named account outside the primary region, which is still not public).
    const snapshot = async (volumeId: string, name: string) => {
      const id = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: name, TagSpecifications: nameTag('snapshot', name) }))).SnapshotId as string;
      ids[`snapshot/${name}`] = id;
      return id;
    };
    const privateSnap = await snapshot(dataEncrypted, 'data-encrypted-backup');
    const publicSnap = await snapshot(dataPlain, 'data-plain-backup');
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: publicSnap, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] }));
    if (!primary) {
      await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: privateSnap, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['444455556666'] }));
    }

    // EBS encryption by default: on in the primary region only (turned on last, as a remediation would be).
    if (primary) await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    return ids;
  },
};
