import { describe, expect, it } from 'vitest';
import { secretsmanagerSecrets } from '../../../../collectors/secretsmanager/secrets.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

describe('secretsmanager.secrets', () => {
  it('normalises dates to ISO strings and absent settings to null', async () => {
    const { ctx } = fakeClients({
      ListSecrets: { SecretList: [{ ARN: 'arn:s', Name: 's', RotationEnabled: true, RotationRules: { ScheduleExpression: 'rate(10 days)' }, LastRotatedDate: new Date('2025-01-02T03:04:05Z') }] },
    });
    expect((await secretsmanagerSecrets.collect(ctx)).resources[0]).toMatchObject({
      rotationEnabled: true,
      rotationRules: { automaticallyAfterDays: null, scheduleExpression: 'rate(10 days)', duration: null },
      lastRotatedDate: '2025-01-02T03:04:05.000Z',
      lastAccessedDate: null,
    });
  });
});
