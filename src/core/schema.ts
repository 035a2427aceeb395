import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from './paths.js';

type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = addFormatsModule as unknown as AddFormats;


const cache = new Map<string, ValidateFunction>();

/** A compiled validator for one of the published JSON Schemas in schemas/. */
export function schemaValidator(name: string): ValidateFunction {
  let validate = cache.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/${name}`, 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, useDefaults: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    cache.set(name, validate);
  }
  return validate;
}

/** JSON pointer of an ajv error as a path array (instancePath "/rule/pass" -> ["rule", "pass"]). */
export function errorPath(error: ErrorObject): (string | number)[] {
  const parts = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') parts.push(String((error.params as { additionalProperty: string }).additionalProperty));
  if (error.keyword === 'required') parts.push(String((error.params as { missingProperty: string }).missingProperty));
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function describeSchemaError(error: ErrorObject): { problem: string; fix: string } {
  switch (error.keyword) {
    case 'additionalProperties':
      return { problem: 'unknown field', fix: 'remove it or correct its spelling' };
    case 'required':
      return { problem: 'is required but missing', fix: 'add it' };
    case 'enum':
      return { problem: `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`, fix: 'use one of the allowed values' };
    case 'not':
      return { problem: 'is not allowed here', fix: 'manual and inherited controls take no rule; remove it' };
    default:
      return { problem: error.message ?? 'is invalid', fix: 'see schemas/control.schema.json' };
  }
}
