import { canonicalJsonSha256 } from '../../core/json.js';
import { writePackJson, type Manifest, type ManifestFile } from '../../locker/pack.js';
import type { ResultsDocument } from '../../results/types.js';
import { attestationObservations } from './attestations.js';
import { controlFinding } from './findings.js';
import { evidenceObservations, type ExtraObservation } from './observations.js';
import { prop, props, TOOL_COMPONENT_UUID, TOOL_PLATFORM_UUID } from './props.js';
import type { OscalAssessmentResultsDocument, OscalObservation, OscalResult } from './types.js';
import { oscalUuid } from './uuid.js';

export type { ExtraObservation } from './observations.js';

/** The OSCAL file in every pack. */
export const OSCAL_FILE = 'assessment-results.oscal.json';
export const OSCAL_VERSION = '1.0.4';

export interface OscalExportOptions {
  /** Further observations made outside the collectors (documents, interviews), linked to the findings of their controls. */
  extraObservations?: readonly ExtraObservation[];
}

/** Only evidence files feed the document, so writing it (and re-sealing the manifest) cannot change it. */
function evidenceDigest(results: ResultsDocument, manifest: Manifest): string {
  const evidence = manifest.files.filter((f) => f.path.startsWith('evidence/')).map((f) => [f.path, f.sha256]);
  return canonicalJsonSha256({ results, evidence });
}

function resultDescription(results: ResultsDocument): string {
  const { run, summary } = results;
  const score = summary.score === null ? 'no score (nothing scorable)' : `score ${summary.score}`;
  return [
    `Automated assessment of AWS accounts ${run.accounts.join(', ')} in regions ${run.regions.join(', ')} against the auditpack control catalog`,
    `(digest ${run.catalog.digest}): ${results.controls.length} controls, ${score}.`,
    'Each automated observation is one evidence file of the pack (path and SHA-256), each attestation an EXAMINE observation; each finding is one control.',
  ].join(' ');
}

/**
 * Builds an OSCAL 1.0.4 assessment-results document from a pack's results.json and manifest.json.
 * Deterministic: every UUID is derived (v5) from the run id and what the object describes, and nothing reads
 * the clock, so the same pack gives the same bytes (through canonicalJson).
 */
export function buildAssessmentResults(results: ResultsDocument, manifest: Manifest, options: OscalExportOptions = {}): OscalAssessmentResultsDocument {
  const { run } = results;
  // Attestations recorded in results.json are always included; callers may add their own observations.
  const extra = [...attestationObservations(results, manifest), ...(options.extraObservations ?? [])];
  const covered = new Set(extra.flatMap((e) => e.paths ?? []));
  const evidence = evidenceObservations(run.id, run.startedAt, manifest.files, covered);
  const observations: OscalObservation[] = [...evidence.observations, ...extra.map((e) => e.observation)];
  const order = new Map(observations.map((o, i) => [o.uuid, i] as const));
  const findings = results.controls.map((c) => controlFinding(run.id, c, evidence, extra, order));
  // OSCAL requires import-ap. auditpack writes no separate assessment plan: the plan is the control catalog
  // (by digest) run over the accounts and regions below. A fragment href must name a back-matter resource, so
  // the import points to a stub resource describing that implicit plan, which keeps the document self-contained.
  const planUuid = oscalUuid('assessment-plan', run.id);
  const result: OscalResult = {
    uuid: oscalUuid('result', run.id),
    title: `auditpack assessment ${run.id}`,
    description: resultDescription(results),
    start: run.startedAt,
    end: run.finishedAt,
    props: [
      ...prop('run-id', run.id),
      ...props('account', run.accounts),
      ...props('region', run.regions),
      ...(results.summary.score === null ? [] : prop('score', results.summary.score)),
      ...prop('catalog-digest', run.catalog.digest),
    ],
    'local-definitions': {
      'assessment-assets': {
        components: [
          {
            uuid: TOOL_COMPONENT_UUID,
            type: 'software',
            title: 'auditpack',
            description: 'Open-source compliance-as-code toolkit for AWS: collects configuration evidence through the AWS APIs, keeps it hashed, and evaluates controls against it.',
            props: prop('version', run.tool.version),
            status: { state: 'operational' },
          },
        ],
        'assessment-platforms': [{ uuid: TOOL_PLATFORM_UUID, title: 'auditpack', 'uses-components': [{ 'component-uuid': TOOL_COMPONENT_UUID }] }],
      },
    },
    'reviewed-controls': {
      description: 'The controls of the auditpack catalog selected for this run.',
      props: prop('catalog-digest', run.catalog.digest),
      'control-selections': [results.controls.length ? { 'include-controls': results.controls.map((c) => ({ 'control-id': c.id })) } : { 'include-all': {} }],
    },
    ...(observations.length ? { observations } : {}),
    ...(findings.length ? { findings } : {}),
  };
  return {
    'assessment-results': {
      uuid: oscalUuid('assessment-results', run.id, evidenceDigest(results, manifest)),
      metadata: {
        title: `auditpack assessment results: run ${run.id}`,
        'last-modified': run.finishedAt,
        version: run.tool.version,
        'oscal-version': OSCAL_VERSION,
        props: [...prop('run-id', run.id), ...prop('tool', `${run.tool.name} ${run.tool.version}`)],
      },
      'import-ap': {
        href: `#${planUuid}`,
        remarks: 'No separate OSCAL assessment plan is published: the plan is the auditpack control catalog run over the accounts and regions of this result (see the back-matter resource).',
      },
      results: [result],
      'back-matter': {
        resources: [
          {
            uuid: planUuid,
            title: 'Assessment plan (implicit)',
            description: `Controls of the auditpack catalog (digest ${run.catalog.digest}) evaluated over AWS accounts ${run.accounts.join(', ')} in regions ${run.regions.join(', ')} from ${run.startedAt} to ${run.finishedAt}.`,
            props: [...prop('catalog-digest', run.catalog.digest), ...props('framework', Object.entries(run.catalog.frameworks).map(([k, v]) => `${k} ${v}`).sort())],
          },
          ...evidence.resources,
        ],
      },
    },
  };
}

/** Builds the document and writes it into the pack (canonical JSON, streamed: never one string); returns its manifest entry. */
export async function writeAssessmentResults(packDir: string, results: ResultsDocument, manifest: Manifest, options: OscalExportOptions = {}): Promise<ManifestFile> {
  return writePackJson(packDir, OSCAL_FILE, buildAssessmentResults(results, manifest, options));
}
