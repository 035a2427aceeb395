import { YamlSource, readYamlInput } from '../core/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import type { ResourceResult } from '../core/types.js';
import { idMatches } from '../core/wildcard.js';

export interface Waiver {
  id: string;
  control: string;
  resources?: string[];
  accounts?: string[];
  regions?: string[];
  justification: string;
  approver: string;
  approved: string;
  expires: string;
  coversErrors?: boolean;
}

export type WaiverState = 'active' | 'expired' | 'not-yet-approved' | 'unmatched';

/** What became of each waiver in a run: reported in results.json and the exceptions register. */
export interface WaiverOutcome {
  id: string;
  control: string;
  state: WaiverState;
  matched: number;
  approver: string;
  approved: string;
  expires: string;
  justification: string;
}

/** Loads and validates waivers.yaml; every problem is one line naming file, line and field. */
export async function loadWaivers(path: string, knownControls: ReadonlySet<string>): Promise<{ waivers: Waiver[]; text: string }> {
  const text = await readYamlInput(path, 'waivers file', 'pass an existing --waivers file');
  return { waivers: parseWaivers(path, text, knownControls), text };
}

export function parseWaivers(label: string, text: string, knownControls: ReadonlySet<string>): Waiver[] {
  const source = YamlSource.parse(label, text);
  const validate = schemaValidator('waivers.schema.json');
  if (!validate(source.value)) {
    const err = validate.errors![0]!;
    const { problem, fix } = describeSchemaError(err);
    const detail = err.keyword === 'minLength' && errorPath(err).at(-1) === 'justification' ? 'is too short: say why the risk is accepted and what mitigates it (30 characters at least)' : problem;
    throw source.error(errorPath(err), detail, fix === 'see schemas/control.schema.json' ? 'see schemas/waivers.schema.json' : fix);
  }
  const waivers = (source.value as { waivers: Waiver[] }).waivers.map((w) => ({ ...w, approved: String(w.approved), expires: String(w.expires) }));
  const seen = new Set<string>();
  waivers.forEach((w, i) => {
    if (seen.has(w.id)) throw source.error(['waivers', i, 'id'], `duplicate waiver id "${w.id}"`, 'give each waiver its own id');
    seen.add(w.id);
    if (!knownControls.has(w.control)) throw source.error(['waivers', i, 'control'], `unknown control "${w.control}"`, 'use an id from `auditpack controls list`');
    if (w.expires < w.approved) throw source.error(['waivers', i, 'expires'], `expires (${w.expires}) is before approved (${w.approved})`, 'correct the dates');
  });
  return waivers;
}

/** A waiver applies from its approval date through its expiry date (inclusive, UTC) at the run's date. */
export function waiverState(waiver: Waiver, runDate: string): 'active' | 'expired' | 'not-yet-approved' {
  const day = runDate.slice(0, 10);
  if (day < waiver.approved) return 'not-yet-approved';
  return day > waiver.expires ? 'expired' : 'active';
}

function matches(waiver: Waiver, control: string, result: ResourceResult): boolean {
  if (waiver.control !== control) return false;
  if (waiver.accounts && !waiver.accounts.includes(result.account)) return false;
  if (waiver.regions && !waiver.regions.includes(result.region)) return false;
  return (waiver.resources ?? ['*']).some((p) => idMatches(p, result.resourceId));
}

/**
 * Marks FAIL results (and ERROR ones only where the waiver says coversErrors) that an active waiver covers as
 * WAIVED, keeping the original status. Expired, not-yet-approved and unmatched waivers are reported, never applied.
 */
export function applyWaivers(
  control: string,
  results: ResourceResult[],
  waivers: readonly Waiver[],
  runDate: string,
  matchedCount: Map<string, number>,
): ResourceResult[] {
  return results.map((result) => {
    const waivable = result.status === 'FAIL' || result.status === 'ERROR';
    if (!waivable) return result;
    const waiver = waivers.find((w) => waiverState(w, runDate) === 'active' && matches(w, control, result) && (result.status === 'FAIL' || w.coversErrors));
    if (!waiver) return result;
    matchedCount.set(waiver.id, (matchedCount.get(waiver.id) ?? 0) + 1);
    return { ...result, status: 'WAIVED', originalStatus: result.status, waiver: { id: waiver.id, justification: waiver.justification, approver: waiver.approver, expires: waiver.expires } };
  });
}

export function waiverOutcomes(waivers: readonly Waiver[], runDate: string, matchedCount: ReadonlyMap<string, number>): WaiverOutcome[] {
  return waivers
    .map((w) => {
      const state = waiverState(w, runDate);
      const matched = matchedCount.get(w.id) ?? 0;
      return {
        id: w.id,
        control: w.control,
        state: state === 'active' && matched === 0 ? ('unmatched' as const) : state,
        matched,
        approver: w.approver,
        approved: w.approved,
        expires: w.expires,
        justification: w.justification,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
