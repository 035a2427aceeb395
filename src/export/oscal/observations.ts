import type { ManifestFile } from '../../locker/pack.js';
import { prop, TOOL_ORIGIN, AUDITPACK_NS } from './props.js';
import type { OscalBackMatterResource, OscalObservation } from './types.js';
import { oscalUuid } from './uuid.js';

/**
 * An observation supplied by the caller (e.g. an attestation: methods ["EXAMINE"]), with the controls it supports
 * (they list it in related-observations) and the pack files it already describes (no automatic observation then).
 */
export interface ExtraObservation {
  observation: OscalObservation;
  controls: string[];
  paths?: string[];
}

/** Evidence observations and the lookups findings need to point at them. */
export interface EvidenceObservations {
  observations: OscalObservation[];
  resources: OscalBackMatterResource[];
  /** sha256 hex -> observation uuids (two files may share content). */
  byHash: Map<string, string[]>;
  /** collector id -> observation uuids of that collector's files. */
  byCollector: Map<string, string[]>;
}

/** evidence/<account>/<region>/<collector>.json, as the collect stage writes it. */
const COLLECTOR_FILE = /^evidence\/(\d{12})\/([a-z0-9-]+)\/([^/]+)\.json$/;
/** Where an evidence file has no usable collectedAt, the run start stands in (OSCAL requires `collected`). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function mediaType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.pdf')) return 'application/pdf';
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'application/yaml';
  return 'application/octet-stream';
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * One observation per evidence file of the pack: the file is the evidence, identified by its pack-relative path
 * and SHA-256 (as an auditpack prop on relevant-evidence, and as an OSCAL hash on a back-matter resource, which
 * OSCAL tools understand). Collector files are automated API reads of configuration: OSCAL method TEST
 * ("AUTOMATED" is not in OSCAL's method vocabulary EXAMINE/INTERVIEW/TEST/UNKNOWN), with a `collection` prop
 * saying "automated"; any other file placed under evidence/ is a document and is EXAMINEd.
 */
export function evidenceObservations(runId: string, runStart: string, files: readonly ManifestFile[], covered: ReadonlySet<string> = new Set()): EvidenceObservations {
  const out: EvidenceObservations = { observations: [], resources: [], byHash: new Map(), byCollector: new Map() };
  const evidence = files.filter((f) => f.path.startsWith('evidence/') && !covered.has(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of evidence) {
    const uuid = oscalUuid('observation', runId, file.path);
    const resourceUuid = oscalUuid('resource', runId, file.path);
    const match = COLLECTOR_FILE.exec(file.path);
    const [, account, region, collector] = match ?? [];
    const collected = file.collectedAt && DATE_TIME.test(file.collectedAt) ? file.collectedAt : runStart;
    out.observations.push({
      uuid,
      title: collector ? `${collector} evidence: account ${account}, ${region}` : `Evidence document ${file.path}`,
      description: collector
        ? `API responses and normalised resources read by collector ${collector} in AWS account ${account}, region ${region}, kept unmodified in the evidence pack (${file.bytes} bytes).`
        : `Document kept in the evidence pack at ${file.path} (${file.bytes} bytes).`,
      props: [
        ...prop('collection', collector ? 'automated' : 'document'),
        ...(collector ? [...prop('collector', collector), ...prop('account', account ?? ''), ...prop('region', region ?? '')] : []),
      ],
      methods: [collector ? 'TEST' : 'EXAMINE'],
      origins: [TOOL_ORIGIN],
      'relevant-evidence': [
        {
          href: file.path,
          description: `Evidence file ${file.path} in the pack; its SHA-256 is listed in manifest.json.`,
          props: [{ name: 'sha256', ns: AUDITPACK_NS, value: file.sha256 }],
          links: [{ href: `#${resourceUuid}`, rel: 'evidence', text: 'Back-matter entry with the file hash' }],
        },
      ],
      collected,
    });
    out.resources.push({
      uuid: resourceUuid,
      title: file.path,
      description: `Evidence file of the pack (${file.bytes} bytes).`,
      rlinks: [{ href: file.path, 'media-type': mediaType(file.path), hashes: [{ algorithm: 'SHA-256', value: file.sha256 }] }],
    });
    push(out.byHash, file.sha256, uuid);
    if (collector) push(out.byCollector, collector, uuid);
  }
  return out;
}
