import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { ClientProvider } from '../../core/collector.js';
import { describeFailure } from '../../collect/failure.js';
import { check, errorName, type DoctorCheck } from './types.js';

/** Security Hub must be enabled where findings are pushed (securityhub:DescribeHub). */
export async function checkSecurityHub(account: string, region: string, clients: ClientProvider): Promise<DoctorCheck> {
  try {
    const hub = await clients.get(SecurityHubClient).send(new DescribeHubCommand({}));
    return check('securityhub', 'ok', `enabled (${hub.HubArn ?? 'hub'})`, { account, region });
  } catch (err) {
    const name = errorName(err);
    if (name === 'InvalidAccessException' || name === 'ResourceNotFoundException')
      return check('securityhub', 'fail', 'Security Hub is not enabled: a push would fail here (fix: enable Security Hub, or leave out --push-securityhub)', { account, region });
    const failure = describeFailure(Object.assign(err as object, { auditpackAction: 'securityhub:DescribeHub' }), []);
    return check('securityhub', 'fail', failure.message, { account, region });
  }
}
