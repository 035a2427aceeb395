import type { ResourceResult } from '../core/types.js';
import type { ControlOutcome } from '../evaluate/evaluate.js';
import { compareResults, worstStatus } from '../evaluate/judge.js';
import type { LoadedAttestation } from './attestations.js';
import { applyWaivers, type Waiver } from './waivers.js';

/**
 * A manual control with a valid attestation takes the attested result (PASS or FAIL), one result per audited
 * account, pointing at the attestation record and its document. An inherited control keeps INHERITED but gains
 * the AWS Artifact report as evidence. Without a valid attestation nothing changes (MANUAL stays MANUAL).
 */
export function applyAttestation(outcome: ControlOutcome, chosen: LoadedAttestation | undefined, accounts: string[]): ControlOutcome {
  if (!chosen || outcome.definition.kind === 'automated') return outcome;
  const a = chosen.attestation;
  const status = outcome.definition.kind === 'inherited' ? 'INHERITED' : a.result === 'INHERITED' ? 'MANUAL' : a.result;
  const message = `attested by ${a.by} on ${a.attestedAt.slice(0, 10)} (valid until ${a.expires}): ${a.statement} [document ${a.document.name}, sha256 ${a.document.sha256}${a.period ? `, period ${a.period}` : ''}]`;
  const results: ResourceResult[] = accounts.map((account) => ({
    resourceId: `AWS::::Account:${account}`,
    resourceType: 'AWS::::Account',
    account,
    region: 'global',
    status,
    message,
    evidence: [`sha256:${chosen.sha256}`, `sha256:${a.document.sha256}`].sort(),
  }));
  return { ...outcome, status, results };
}

/** Applies the waivers to a control's results and recomputes its status from them. */
export function applyControlWaivers(outcome: ControlOutcome, waivers: readonly Waiver[], runDate: string, matched: Map<string, number>): ControlOutcome {
  if (!waivers.some((w) => w.control === outcome.definition.id)) return outcome;
  const results = applyWaivers(outcome.definition.id, outcome.results, waivers, runDate, matched).sort(compareResults);
  return { ...outcome, results, status: results.length ? worstStatus(results.map((r) => r.status)) : outcome.status };
}
