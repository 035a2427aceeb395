import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientProvider } from '../../core/collector.js';
import { enabledRegions } from '../../collect/scope.js';
import { describeFailure } from '../../collect/failure.js';
import { check, errorLine, type DoctorCheck } from './types.js';

export interface RegionsResult {
  requested: string[];
  enabled: string[];
  checks: DoctorCheck[];
}

/** Regions enabled for the caller (ec2:DescribeRegions) against the regions requested (default: the enabled ones). */
export async function checkRegions(clients: ClientProvider, requested: string[] | undefined): Promise<RegionsResult> {
  let enabled: string[];
  try {
    enabled = await enabledRegions(clients);
  } catch (err) {
    if (!requested?.length) return { requested: [], enabled: [], checks: [check('regions', 'fail', `${errorLine(err)}`)] };
    return { requested, enabled: [], checks: [check('regions', 'warn', `enabled regions not known, requested ones are probed: ${errorLine(err)}`)] };
  }
  const wanted = requested?.length ? [...new Set(requested)].sort() : enabled;
  const missing = wanted.filter((r) => !enabled.includes(r));
  const checks = missing.length
    ? [check('regions', 'fail', `requested but not enabled for the caller: ${missing.join(', ')} (fix: enable them, or leave them out of --regions)`)]
    : [check('regions', 'ok', `${wanted.length} region(s) requested, all enabled: ${wanted.join(', ')}`)];
  return { requested: wanted, enabled, checks };
}

/**
 * One cheap call (sts:GetCallerIdentity, which needs no permission) against the region's endpoint with the account's
 * audit credentials; a refusal (region not enabled, SCP deny) is classified as collection classifies it.
 */
export async function probeRegion(account: string, region: string, homeRegion: string, clients: ClientProvider): Promise<DoctorCheck> {
  try {
    await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
    return check('region-probe', 'ok', 'reachable', { account, region });
  } catch (err) {
    const failure = describeFailure(Object.assign(err as object, { auditpackAction: 'sts:GetCallerIdentity' }), [], { region, homeRegion });
    const reason = failure.refusal ? `refused (${failure.refusal}): ${failure.message}` : `probe failed: ${failure.message}`;
    return check('region-probe', 'fail', reason, { account, region });
  }
}
