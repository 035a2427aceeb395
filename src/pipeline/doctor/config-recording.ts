import { ConfigServiceClient, DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service';
import type { ClientProvider } from '../../core/collector.js';
import { describeFailure } from '../../collect/failure.js';
import { check, type DoctorCheck } from './types.js';

/** Whether AWS Config records in the region (config:DescribeConfigurationRecorderStatus). A warning at worst: the audit reads live. */
export async function checkConfigRecording(account: string, region: string, clients: ClientProvider): Promise<DoctorCheck> {
  try {
    const { ConfigurationRecordersStatus: statuses = [] } = await clients.get(ConfigServiceClient).send(new DescribeConfigurationRecorderStatusCommand({}));
    if (statuses.length === 0) return check('config-recording', 'warn', 'no AWS Config recorder: evidence is read live and the config controls fail', { account, region });
    const recording = statuses.filter((s) => s.recording);
    if (recording.length === 0) return check('config-recording', 'warn', `recorder ${statuses.map((s) => s.name ?? '?').join(', ')} is not recording`, { account, region });
    const failing = recording.filter((s) => s.lastStatus === 'Failure');
    if (failing.length) return check('config-recording', 'warn', `recorder ${failing.map((s) => s.name ?? '?').join(', ')} last failed: ${s1(failing[0]?.lastErrorMessage)}`, { account, region });
    return check('config-recording', 'ok', `recording (${recording.map((s) => s.name ?? '?').join(', ')})`, { account, region });
  } catch (err) {
    const failure = describeFailure(Object.assign(err as object, { auditpackAction: 'config:DescribeConfigurationRecorderStatus' }), []);
    return check('config-recording', 'warn', `recorder status unknown: ${failure.message}`, { account, region });
  }
}

function s1(text: string | undefined): string {
  return (text ?? 'no message').split('\n')[0] ?? '';
}
