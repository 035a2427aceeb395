import type { Manifest } from '../../locker/pack.js';
import type { ResultsDocument } from '../../results/types.js';
import type { ExtraObservation } from './observations.js';
import { AUDITPACK_NS, prop, TOOL_ORIGIN } from './props.js';
import type { OscalRelevantEvidence } from './types.js';
import { oscalUuid } from './uuid.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** OSCAL wants a full date-time; a plain date is taken as its start (UTC). */
function dateTime(value: string): string | undefined {
  if (DATE_TIME.test(value)) return value;
  if (DATE.test(value)) return `${value}T00:00:00Z`;
  return undefined;
}

/**
 * Attestations recorded in results.json as EXAMINE observations: the attestation record and its document,
 * each with its SHA-256. Only a valid attestation supports its control's finding (related-observations);
 * expired, superseded or future ones are listed for the record but support nothing.
 */
export function attestationObservations(results: ResultsDocument, manifest: Manifest): ExtraObservation[] {
  const byPath = new Map(manifest.files.map((f) => [f.path, f.sha256] as const));
  const byHash = new Map(manifest.files.map((f) => [f.sha256, f.path] as const));
  return (results.summary.attestations ?? []).map((a) => {
    const recordHash = byPath.get(a.file);
    const documentPath = byHash.get(a.document.sha256);
    const evidence: OscalRelevantEvidence[] = [
      { href: a.file, description: `Attestation record by ${a.by}.`, ...(recordHash ? { props: [{ name: 'sha256', ns: AUDITPACK_NS, value: recordHash }] } : {}) },
      { ...(documentPath ? { href: documentPath } : {}), description: `Attached document ${a.document.name}.`, props: [{ name: 'sha256', ns: AUDITPACK_NS, value: a.document.sha256 }] },
    ];
    const expires = dateTime(a.expires);
    return {
      observation: {
        uuid: oscalUuid('attestation', results.run.id, a.file),
        title: `Attestation for ${a.control} by ${a.by}`,
        description: `${a.by} attested ${a.result} for control ${a.control} on ${a.attestedAt} (expires ${a.expires}); the attestation is ${a.state}.`,
        props: [...prop('collection', 'attestation'), ...prop('attestation-state', a.state), ...prop('attestation-result', a.result), ...prop('attested-by', a.by), ...prop('expires', a.expires)],
        methods: ['EXAMINE'],
        origins: [TOOL_ORIGIN],
        'relevant-evidence': evidence,
        collected: dateTime(a.attestedAt) ?? results.run.startedAt,
        ...(expires ? { expires } : {}),
      },
      controls: a.state === 'valid' ? [a.control] : [],
      paths: [a.file, ...(documentPath ? [documentPath] : [])],
    };
  });
}
