import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import type { ClientProvider, Collector } from '../../core/collector.js';
import { describeFailure } from '../../collect/failure.js';
import { check, type DoctorCheck } from './types.js';

/** ActionNames per SimulatePrincipalPolicy request. */
const CHUNK = 50;

/** The role ARN behind an assumed-role session ARN (what SimulatePrincipalPolicy takes); other ARNs unchanged. */
export function principalArn(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/**
 * The actions each collector declares, simulated for the audit principal with iam:SimulatePrincipalPolicy (called
 * with the account's audit credentials). Where the simulation is refused or unavailable the answer is
 * "not simulated", a warning, never ok.
 */
export async function checkPermissions(account: string, principal: string, collectors: readonly Collector[], extra: readonly string[], clients: ClientProvider): Promise<DoctorCheck> {
  const actions = [...new Set([...extra, ...collectors.flatMap((c) => c.permissions)])].sort();
  const denied = new Set<string>();
  try {
    for (let i = 0; i < actions.length; i += CHUNK) {
      let marker: string | undefined;
      do {
        const page = await clients.get(IAMClient).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: principal, ActionNames: actions.slice(i, i + CHUNK), ...(marker ? { Marker: marker } : {}) }));
        for (const r of page.EvaluationResults ?? []) if (r.EvalActionName && r.EvalDecision !== 'allowed') denied.add(r.EvalActionName);
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
    }
  } catch (err) {
    const failure = describeFailure(Object.assign(err as object, { auditpackAction: 'iam:SimulatePrincipalPolicy' }), []);
    return check('permissions', 'warn', `not simulated (${actions.length} actions unchecked): ${failure.message}`, { account });
  }
  if (denied.size === 0) return check('permissions', 'ok', `all ${actions.length} actions allowed for ${principal}`, { account });
  const affected = collectors.filter((c) => c.permissions.some((p) => denied.has(p))).map((c) => c.id);
  const list = [...denied].sort();
  const shown = list.length > 8 ? `${list.slice(0, 8).join(', ')} and ${list.length - 8} more` : list.join(', ');
  return check('permissions', 'fail', `${principal} is denied ${shown}; collectors affected: ${affected.length ? affected.join(', ') : 'none (engine calls)'} (fix: attach the policy from \`auditpack policy\`)`, { account });
}
