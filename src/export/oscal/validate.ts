import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../core/paths.js';

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = addFormatsModule as unknown as AddFormats;

/** NIST's Assessment Results JSON Schema, vendored unmodified (provenance in schemas/vendor/oscal/README.md). */
export const OSCAL_AR_SCHEMA = 'schemas/vendor/oscal/oscal_assessment-results_schema-1.0.4.json';

let cached: ValidateFunction | undefined;

/** A validator for OSCAL 1.0.4 assessment-results documents (JSON Schema draft-07, ajv + formats). */
export function oscalValidator(): ValidateFunction {
  if (!cached) {
    const schema = JSON.parse(readFileSync(`${PACKAGE_ROOT}${OSCAL_AR_SCHEMA}`, 'utf8')) as object;
    // NIST's schema is not written for ajv's strict mode (e.g. `enum` beside `pattern`), so strict checks are off.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    cached = ajv.compile(schema);
  }
  return cached;
}
