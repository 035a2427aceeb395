import { YamlSource, readYamlInput } from '../core/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';

export const REPORT_SECTIONS = ['cover', 'summary', 'changes', 'well-architected', 'shared-responsibility', 'framework-index', 'controls', 'register', 'appendix'] as const;
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
  outputs: ReportOutput[];
  signing: { manifest: boolean; pdf: boolean };
  source: string;
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
