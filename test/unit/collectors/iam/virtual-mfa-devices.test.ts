import { describe, expect, it } from 'vitest';
import { virtualMfaResource } from '../../../../collectors/iam/virtual-mfa-devices.js';

const ACCOUNT = '111111111111';

describe('virtualMfaResource', () => {
  it('flags the root virtual device', () => {
    const r = virtualMfaResource(ACCOUNT, [
      { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice`, User: { Arn: `arn:aws:iam::${ACCOUNT}:user/alice`, UserName: 'alice', Path: '/', UserId: 'x', CreateDate: new Date() } },
      { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, User: { Arn: `arn:aws:iam::${ACCOUNT}:root`, UserName: '', Path: '', UserId: ACCOUNT, CreateDate: new Date() } },
    ]);
    expect(r.rootVirtualMfa).toBe(true);
    expect((r.assignedVirtualMfaDevices as { root: boolean }[]).map((d) => d.root)).toEqual([false, true]);
    expect(JSON.stringify(r)).not.toMatch(/Base32StringSeed|QRCodePNG/);
  });
  it('no root device when only users have virtual devices', () => {
    expect(virtualMfaResource(ACCOUNT, []).rootVirtualMfa).toBe(false);
  });
});
