import { GetMacieSessionCommand, Macie2Client, type GetMacieSessionCommandOutput } from '@aws-sdk/client-macie2';
import type { Resource } from '../../src/core/types.js';
import { accountResourceId, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * GetMacieSession's answer for an account where Macie was never enabled (or was disabled): an
 * AccessDeniedException whose message is exactly this. Any other error (a real denial) stays an ERROR.
 * https://docs.aws.amazon.com/macie/latest/APIReference/macie.html (GetMacieSession, 403 AccessDeniedException)
 */
export const MACIE_NOT_ENABLED_MESSAGE = 'Macie is not enabled';

export function isMacieNotEnabled(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return e?.name === 'AccessDeniedException' && (e.message ?? '').trim().replace(/\.$/, '') === MACIE_NOT_ENABLED_MESSAGE;
}

/** The account's Macie status in one region: ENABLED, PAUSED, or NOT_ENABLED (no session). */
export function macieAccountResource(account: string, region: string, session: Omit<GetMacieSessionCommandOutput, '$metadata'> | undefined): Resource {
  return {
    id: accountResourceId(account),
    type: 'AWS::::Account',
    name: account,
    region,
    macieStatus: session ? (session.status ?? 'NOT_ENABLED') : 'NOT_ENABLED',
    findingPublishingFrequency: session?.findingPublishingFrequency ?? null,
  };
}

/** Macie2 GetMacieSession per region: whether Amazon Macie is enabled (Macie.1 / CIS 2.1.3). */
export const macieSession: Collector = {
  id: 'macie.session',
  version: '1',
  title: 'Amazon Macie status',
  scope: 'region',
  permissions: ['macie2:GetMacieSession'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      macieStatus: s.enum('ENABLED', 'PAUSED', 'NOT_ENABLED'),
      findingPublishingFrequency: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(Macie2Client);
    let session: Omit<GetMacieSessionCommandOutput, '$metadata'> | undefined;
    try {
      session = stripMetadata(await client.send(new GetMacieSessionCommand({})));
    } catch (err) {
      if (!isMacieNotEnabled(err)) throw err;
      session = undefined;
    }
    const resource = macieAccountResource(ctx.account, ctx.region, session);
    return { raw: { GetMacieSession: session ?? { notEnabled: MACIE_NOT_ENABLED_MESSAGE } }, resources: [resource] };
  },
};
