import { AccountClient, GetAlternateContactCommand, type AlternateContact } from '@aws-sdk/client-account';
import type { Resource } from '../../src/core/types.js';
import { absentOn, accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

const filled = (value: string | undefined): boolean => typeof value === 'string' && value.trim() !== '';

/** The security alternate contact as an account-level fact; `present: false` when none is registered. */
export function securityContactResource(account: string, contact: AlternateContact | undefined): Resource {
  const base = { id: accountResourceId(account), type: 'AWS::::Account', name: account, contactType: 'SECURITY' };
  if (!contact) return { ...base, present: false };
  return {
    ...base,
    present: true,
    hasName: filled(contact.Name),
    hasEmail: filled(contact.EmailAddress),
    hasPhone: filled(contact.PhoneNumber),
    title: contact.Title ?? null,
  };
}

/**
 * Account GetAlternateContact (SECURITY). ResourceNotFoundException is the API's documented answer for
 * "no contact of this type", so it means absent; anything else (access denied, an endpoint without the API)
 * is an error.
 */
export const alternateContact: Collector = {
  id: 'account.alternate-contact',
  version: '1',
  title: 'Account security alternate contact',
  scope: 'account',
  permissions: ['account:GetAlternateContact'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      contactType: { const: 'SECURITY' },
      present: s.boolean,
      hasName: s.boolean,
      hasEmail: s.boolean,
      hasPhone: s.boolean,
      title: s.nullable(s.string),
    }, { optional: ['hasName', 'hasEmail', 'hasPhone', 'title'] },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(AccountClient);
    const response = await absentOn(['ResourceNotFoundException'], () =>
      client.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' })),
    );
    return {
      raw: { 'GetAlternateContact:SECURITY': response ? stripMetadata(response) : { absent: 'ResourceNotFoundException' } },
      resources: [securityContactResource(ctx.account, response?.AlternateContact)],
    };
  },
};
