import { YamlSource, readYamlInput } from '../core/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';

export const REPORT_SECTIONS = ['cover', 'summary', 'accounts', 'changes', 'well-architected', 'shared-responsibility', 'framework-index', 'controls', 'register', 'appendix'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export type ReportOutput = 'html' | 'pdf' | 'csv';

/** A report definition (reports/*.yaml; schema in schemas/report.schema.json). */
export interface ReportDefinition {
  id: string;
  title: string;
  organisation: string;
  /** Audit period; `auto` = the calendar quarter in which the run started. */
  period: { from: string; to: string } | 'auto';
  /** Framework columns shown in matrices and detail pages. */
  frameworks: string[];
  /** The framework the `framework-index` section numbers the report by (e.g. `cis-aws-3.0`); required with that section. */
  framework?: string;
  /** `mappedTo`: only controls mapped to at least one of these frameworks (absent: no such filter). */
  controls: { include: string[]; exclude: string[]; mappedTo?: string[] };
  sections: ReportSection[];
  /** How much of a large organisation the reports list (absent fields: DEFAULT_LIMITS); counts always cover everything. */
  limits?: Partial<ReportLimits>;
  outputs: ReportOutput[];
  signing: { manifest: boolean; pdf: boolean };
  source: string;
}

/**
 * Caps on what the HTML and PDF list, so a 1,000-account report stays readable and renders in bounded memory; the
 * full lists stay in results.csv, results.json and manifest.json, and each report says when rows were left out.
 */
export interface ReportLimits {
  /** Resource results listed per control (FAIL and ERROR first). */
  resultsPerControl: number;
  /** Rows of the per-account summary (worst score first). */
  accounts: number;
  /** Files listed in the appendix (the manifest lists all). */
  appendixFiles: number;
}

/** Accounts named on the cover of either report; the accounts section and results.json list them all. */
export const COVER_ACCOUNTS = 24;

export const DEFAULT_LIMITS: ReportLimits = { resultsPerControl: 50, accounts: 200, appendixFiles: 1000 };

/** The definition's limits with the defaults filled in. */
export function reportLimits(definition: Pick<ReportDefinition, 'limits'>): ReportLimits {
  return { ...DEFAULT_LIMITS, ...definition.limits };
}

import { DEFAULT_DEFINITION } from '../core/defaults.js';
export { DEFAULT_DEFINITION };

export async function loadReportDefinition(path: string = DEFAULT_DEFINITION): Promise<ReportDefinition> {
  const text = await readYamlInput(path, 'report definition', 'pass an existing --definition file, e.g. reports/quarterly-audit.yaml');
  const source = YamlSource.parse(path, text);
  const validate = schemaValidator('report.schema.json');
  if (!validate(source.value)) {
    const err = validate.errors?.[0];
    if (err) {
      const { problem, fix } = describeSchemaError(err);
      throw source.error(errorPath(err), problem, fix === 'see schemas/control.schema.json' ? 'see schemas/report.schema.json' : fix);
    }
  }
  const raw = source.value as Omit<ReportDefinition, 'source' | 'controls' | 'signing'> & {
    controls?: Partial<ReportDefinition['controls']>;
    signing?: Partial<ReportDefinition['signing']>;
  };
  return {
    ...raw,
    controls: { include: raw.controls?.include ?? ['*'], exclude: raw.controls?.exclude ?? [], ...(raw.controls?.mappedTo ? { mappedTo: raw.controls.mappedTo } : {}) },
    signing: { manifest: raw.signing?.manifest ?? true, pdf: raw.signing?.pdf ?? true },
    source: path,
  };
}

export { idMatches } from '../core/wildcard.js';
