import type { ResourceResult, Status } from '../../core/types.js';
import { MAPPING_KEYS, STATUSES } from '../../core/types.js';
import type { ControlResult } from '../../results/types.js';
import type { EvidenceObservations, ExtraObservation } from './observations.js';
import { prop, props, TOKEN, TOOL_ORIGIN } from './props.js';
import type { OscalFinding, OscalFindingTarget, OscalLink } from './types.js';
import { oscalUuid } from './uuid.js';

/** How many non-passing resources a finding's description lists before pointing to results.json. */
export const MAX_LISTED_RESULTS = 100;

type TargetStatus = Pick<OscalFindingTarget, 'status' | 'implementation-status'>;

/**
 * Our status -> OSCAL objective status. Only PASS, NOT_APPLICABLE and INHERITED are `satisfied`: an ERROR or
 * MANUAL control was not shown to hold (fail closed), and WAIVED means failures were accepted, not fixed.
 * `reason` uses OSCAL's values pass / fail / other.
 */
function targetStatus(control: ControlResult): TargetStatus {
  const s = control.status;
  switch (s) {
    case 'PASS':
      return { status: { state: 'satisfied', reason: 'pass' } };
    case 'FAIL':
      return { status: { state: 'not-satisfied', reason: 'fail' } };
    case 'NOT_APPLICABLE':
      return {
        status: { state: 'satisfied', reason: 'other', remarks: 'NOT_APPLICABLE: no resource in scope of this control in the assessed accounts and regions.' },
        'implementation-status': { state: 'not-applicable' },
      };
    case 'INHERITED': {
      const reports = (control.inherited?.reports ?? []).map((r) => `${r.name}${r.period ? ` (${r.period})` : ''}${r.sha256 ? ` sha256 ${r.sha256}` : ''}`);
      const source = control.inherited?.source ? ` from ${control.inherited.source}` : '';
      return { status: { state: 'satisfied', reason: 'other', remarks: `INHERITED: carried by AWS under the shared responsibility model; evidenced by AWS reports${source}${reports.length ? `: ${reports.join('; ')}` : ''}.` } };
    }
    case 'WAIVED':
      return { status: { state: 'not-satisfied', reason: 'other', remarks: 'WAIVED: failures are accepted under an approved waiver (risk acceptance); the objective is not met.' } };
    case 'ERROR':
      return { status: { state: 'not-satisfied', reason: 'other', remarks: 'ERROR: evidence could not be collected or evaluated for at least one resource, so the control was not shown to be satisfied.' } };
    case 'MANUAL':
      return { status: { state: 'not-satisfied', reason: 'other', remarks: 'MANUAL: no API can show this control; it needs a valid attestation, and none was recorded, so it is not shown as satisfied.' } };
  }
}

function countsLine(control: ControlResult): string {
  const parts = STATUSES.filter((s) => control.counts[s] > 0).map((s) => `${control.counts[s]} ${s}`);
  return parts.length ? `Resource results: ${parts.join(', ')}.` : 'No resource results.';
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A waived result keeps what the rule said: the original status and the exception that covers it. */
function waiverNote(r: ResourceResult): string {
  if (!r.waiver) return '';
  const w = r.waiver;
  return ` [waived${r.originalStatus ? ` ${r.originalStatus}` : ''} under waiver ${w.id}, approved by ${oneLine(w.approver)}, expires ${w.expires}: ${oneLine(w.justification)}]`;
}

/** The control's description, then every non-passing resource (capped): the per-resource detail auditors read. */
function description(control: ControlResult): string {
  const notable = control.results.filter((r) => r.status !== 'PASS' && r.status !== 'NOT_APPLICABLE');
  const lines = notable.slice(0, MAX_LISTED_RESULTS).map((r) => `- ${r.status} ${r.resourceId} (account ${r.account}, ${r.region}): ${oneLine(r.message)}${waiverNote(r)}`);
  if (notable.length > MAX_LISTED_RESULTS) lines.push(`- … and ${notable.length - MAX_LISTED_RESULTS} more (see results.json, control ${control.id})`);
  return [control.description.trim(), countsLine(control), ...(lines.length ? [lines.join('\n')] : [])].join('\n\n');
}

function countProps(control: ControlResult) {
  return STATUSES.filter((s: Status) => control.counts[s] > 0).flatMap((s) => prop('result-count', control.counts[s], { class: s }));
}

/**
 * Observations a control relied on: every file of its evidence collectors (it read all of them, which is also
 * what shows a NOT_APPLICABLE), the files its resource results cite by hash, and caller-supplied observations.
 */
function relatedObservations(control: ControlResult, evidence: EvidenceObservations, extra: readonly ExtraObservation[], order: Map<string, number>): string[] {
  const uuids = new Set<string>();
  for (const collector of control.evidence) for (const u of evidence.byCollector.get(collector) ?? []) uuids.add(u);
  for (const r of control.results)
    for (const ref of r.evidence) for (const u of evidence.byHash.get(ref.replace(/^sha256:/, '')) ?? []) uuids.add(u);
  for (const e of extra) if (e.controls.includes(control.id)) uuids.add(e.observation.uuid);
  return [...uuids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

/** One finding per control, targeting the control id as the objective, with our status and mappings as props. */
export function controlFinding(runId: string, control: ControlResult, evidence: EvidenceObservations, extra: readonly ExtraObservation[], order: Map<string, number>): OscalFinding {
  if (!TOKEN.test(control.id)) throw new Error(`OSCAL export: control id "${control.id}" is not an OSCAL token (letters, digits, . - _)`);
  const related = relatedObservations(control, evidence, extra, order);
  const links: OscalLink[] = control.remediation.url ? [{ href: control.remediation.url, rel: 'reference', text: 'Remediation guidance' }] : [];
  const satisfied = control.status === 'PASS' || control.status === 'NOT_APPLICABLE' || control.status === 'INHERITED';
  return {
    uuid: oscalUuid('finding', runId, control.id),
    title: control.title,
    description: description(control),
    props: [
      ...prop('status', control.status),
      ...prop('severity', control.severity),
      ...prop('kind', control.kind),
      ...prop('responsibility', control.responsibility),
      ...MAPPING_KEYS.flatMap((key) => props(key, control.mappings[key])),
      ...countProps(control),
      ...prop('control-source', control.source),
    ],
    ...(links.length ? { links } : {}),
    origins: [TOOL_ORIGIN],
    target: { type: 'objective-id', 'target-id': control.id, ...targetStatus(control) },
    ...(related.length ? { 'related-observations': related.map((u) => ({ 'observation-uuid': u })) } : {}),
    ...(satisfied ? {} : { remarks: `Remediation: ${control.remediation.text.trim()}${control.remediation.cli ? `\n\nCLI: \`${control.remediation.cli}\`` : ''}` }),
  };
}
