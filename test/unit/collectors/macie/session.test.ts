import { describe, expect, it } from 'vitest';
import { isMacieNotEnabled, macieSession } from '../../../../collectors/macie/session.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

describe('macie.session', () => {
  it('an enabled session', async () => {
    const { ctx } = fakeClients({ GetMacieSession: { status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' } }, { region: 'eu-west-1' });
    const out = await macieSession.collect(ctx);
    expect(out.resources).toEqual([{ id: 'AWS::::Account:111111111111', type: 'AWS::::Account', name: '111111111111', region: 'eu-west-1', macieStatus: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' }]);
  });
  it('AccessDeniedException "Macie is not enabled" means not enabled', async () => {
    const { ctx } = fakeClients({ GetMacieSession: awsError('AccessDeniedException', { message: 'Macie is not enabled.', httpStatusCode: 403 }) });
    const out = await macieSession.collect(ctx);
    expect(out.resources[0]).toMatchObject({ macieStatus: 'NOT_ENABLED', findingPublishingFrequency: null });
  });
  it('any other error, a real denial included, propagates (ERROR)', async () => {
    const denied = awsError('AccessDeniedException', { message: 'User is not authorized to perform: macie2:GetMacieSession', httpStatusCode: 403 });
    await expect(macieSession.collect(fakeClients({ GetMacieSession: denied }).ctx)).rejects.toThrow(/not authorized/);
    await expect(macieSession.collect(fakeClients({ GetMacieSession: awsError('ResourceNotFoundException') }).ctx)).rejects.toThrow(/ResourceNotFound/);
    expect(isMacieNotEnabled(awsError('ValidationException', { message: 'Macie is not enabled' }))).toBe(false);
  });
});
