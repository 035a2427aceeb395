import { IAMClient, paginateListVirtualMFADevices, type VirtualMFADevice } from '@aws-sdk/client-iam';
import type { Resource } from '../../src/core/types.js';
import { accountResourceId, collectPages, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** The root user's virtual device: its user ARN ends in `:root`, its serial in `mfa/root-account-mfa-device`. */
function isRootDevice(device: VirtualMFADevice): boolean {
  return /:root$/.test(device.User?.Arn ?? '') || /:mfa\/root-account-mfa-device$/.test(device.SerialNumber ?? '');
}

/** Only identifying fields: some endpoints echo the seed and QR code, which must never reach evidence. */
function deviceSummary(device: VirtualMFADevice) {
  return {
    serialNumber: device.SerialNumber ?? '',
    userArn: device.User?.Arn ?? null,
    userName: device.User?.UserName ?? null,
    enableDate: device.EnableDate ? device.EnableDate.toISOString() : null,
    root: isRootDevice(device),
  };
}

export function virtualMfaResource(account: string, devices: VirtualMFADevice[]): Resource {
  const summaries = devices.map(deviceSummary);
  return {
    id: accountResourceId(account),
    type: 'AWS::::Account',
    name: account,
    assignedVirtualMfaDevices: summaries,
    rootVirtualMfa: summaries.some((d) => d.root),
  };
}

/**
 * IAM ListVirtualMFADevices (assigned only). Tells a virtual root MFA device from a hardware one (IAM.6):
 * the account summary says only whether root has some MFA device.
 */
export const virtualMfaDevices: Collector = {
  id: 'iam.virtual-mfa-devices',
  version: '1',
  title: 'IAM virtual MFA devices in use',
  scope: 'account',
  permissions: ['iam:ListVirtualMFADevices'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      assignedVirtualMfaDevices: s.array(
        s.object({ serialNumber: s.string, userArn: s.nullable(s.string), userName: s.nullable(s.string), enableDate: s.nullable(s.string), root: s.boolean }),
      ),
      rootVirtualMfa: s.boolean,
    },
  ),
  async collect(ctx) {
    const iam = ctx.clients.get(IAMClient);
    const { items } = await collectPages(
      paginateListVirtualMFADevices({ client: iam, pageSize: 1000 }, { AssignmentStatus: 'Assigned' }),
      (page) => page.VirtualMFADevices,
    );
    const resource = virtualMfaResource(ctx.account, items);
    return { raw: { ListVirtualMFADevices: resource.assignedVirtualMfaDevices }, resources: [resource] };
  },
};
