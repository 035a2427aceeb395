import { describe, expect, it } from 'vitest';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * Secrets Manager against moto: the demo organisation seeded in both regions with real SDK calls, the real collectors'
 * normalised evidence, then the pipeline for every control on it against test/fixtures/estate/.
 */
const { seeded, evidence } = useRegionService('secretsmanager');

describe('secretsmanager evidence', () => {
  it('secretsmanager.secrets: rotation metadata only', () => {
    const secrets = evidence().resources('secretsmanager.secrets', seeded.estate.management, 'us-east-1');
    expect(byName(secrets, 'auditpack/orders-db')).toMatchObject({
      type: 'AWS::SecretsManager::Secret',
      rotationEnabled: true,
      rotationRules: { automaticallyAfterDays: 30, scheduleExpression: null, duration: null },
    });
    expect(byName(secrets, 'auditpack/orders-db').lastRotatedDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byName(secrets, 'auditpack/legacy-api-key')).toMatchObject({ rotationEnabled: false, rotationRules: null, lastRotatedDate: null });
    for (const r of evidence().records.values()) for (const call of r.calls) expect(call.action).not.toBe('GetSecretValue');
  });
});
