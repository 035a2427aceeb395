// Normalisers tested here with a narrow fake (test/integration covers the rest against moto).
import { describe, expect, it } from 'vitest';
import { alternateContact, securityContactResource } from '../../../../collectors/account/alternate-contact.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

const ACCOUNT = '111111111111';

describe('account.alternate-contact', () => {
  it('normalises a complete contact', async () => {
    const { ctx, calls } = fakeClients({
      GetAlternateContact: { AlternateContact: { AlternateContactType: 'SECURITY', Name: 'Sec', EmailAddress: 'sec@example.com', PhoneNumber: '+1', Title: 'SOC' } },
    });
    const out = await alternateContact.collect(ctx);
    expect(calls.map((c) => c.input)).toEqual([{ AlternateContactType: 'SECURITY' }]);
    expect(out.resources[0]).toMatchObject({ present: true, hasName: true, hasEmail: true, hasPhone: true, title: 'SOC' });
  });
  it('ResourceNotFoundException means no contact; other errors fail', async () => {
    const out = await alternateContact.collect(fakeClients({ GetAlternateContact: awsError('ResourceNotFoundException') }).ctx);
    expect(out.resources[0]).toMatchObject({ present: false });
    await expect(alternateContact.collect(fakeClients({ GetAlternateContact: awsError('AccessDeniedException') }).ctx)).rejects.toThrow();
  });
  it('an empty e-mail is not a contact', () => {
    expect(securityContactResource(ACCOUNT, { Name: 'x', EmailAddress: ' ', PhoneNumber: '1' })).toMatchObject({ hasEmail: false });
  });
});
