/**
 * The subset of the OSCAL 1.0.4 assessment-results model auditpack writes (field names as in the JSON format).
 * Schema: schemas/vendor/oscal/oscal_assessment-results_schema-1.0.4.json.
 */

export interface OscalProperty {
  name: string;
  value: string;
  ns?: string;
  class?: string;
  remarks?: string;
}

export interface OscalLink {
  href: string;
  rel?: string;
  'media-type'?: string;
  text?: string;
}

export interface OscalOriginActor {
  type: 'tool' | 'assessment-platform' | 'party';
  'actor-uuid': string;
}

export interface OscalOrigin {
  actors: OscalOriginActor[];
}

export interface OscalRelevantEvidence {
  href?: string;
  description: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  remarks?: string;
}

export interface OscalObservation {
  uuid: string;
  title?: string;
  description: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  /** OSCAL vocabulary: EXAMINE, INTERVIEW, TEST, UNKNOWN. */
  methods: string[];
  types?: string[];
  origins?: OscalOrigin[];
  'relevant-evidence'?: OscalRelevantEvidence[];
  collected: string;
  expires?: string;
  remarks?: string;
}

export interface OscalFindingTarget {
  type: 'objective-id' | 'statement-id';
  'target-id': string;
  title?: string;
  description?: string;
  props?: OscalProperty[];
  status: { state: 'satisfied' | 'not-satisfied'; reason?: string; remarks?: string };
  'implementation-status'?: { state: string; remarks?: string };
  remarks?: string;
}

export interface OscalFinding {
  uuid: string;
  title: string;
  description: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  origins?: OscalOrigin[];
  target: OscalFindingTarget;
  'related-observations'?: { 'observation-uuid': string }[];
  remarks?: string;
}

export interface OscalControlSelection {
  description?: string;
  props?: OscalProperty[];
  'include-all'?: Record<string, never>;
  'include-controls'?: { 'control-id': string }[];
}

export interface OscalComponent {
  uuid: string;
  type: string;
  title: string;
  description: string;
  props?: OscalProperty[];
  links?: OscalLink[];
  status: { state: 'under-development' | 'operational' | 'disposition' | 'other' };
}

export interface OscalResult {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end?: string;
  props?: OscalProperty[];
  'local-definitions'?: {
    'assessment-assets'?: {
      components?: OscalComponent[];
      'assessment-platforms': { uuid: string; title?: string; 'uses-components'?: { 'component-uuid': string }[] }[];
    };
  };
  'reviewed-controls': { description?: string; props?: OscalProperty[]; 'control-selections': OscalControlSelection[] };
  observations?: OscalObservation[];
  findings?: OscalFinding[];
  remarks?: string;
}

export interface OscalBackMatterResource {
  uuid: string;
  title?: string;
  description?: string;
  props?: OscalProperty[];
  rlinks?: { href: string; 'media-type'?: string; hashes?: { algorithm: string; value: string }[] }[];
  remarks?: string;
}

export interface OscalMetadata {
  title: string;
  published?: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  props?: OscalProperty[];
  remarks?: string;
}

export interface OscalAssessmentResults {
  uuid: string;
  metadata: OscalMetadata;
  'import-ap': { href: string; remarks?: string };
  results: OscalResult[];
  'back-matter'?: { resources: OscalBackMatterResource[] };
}

/** The document root, as written to assessment-results.oscal.json. */
export interface OscalAssessmentResultsDocument {
  'assessment-results': OscalAssessmentResults;
}
