import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Collector } from '../core/collector.js';
import { UserError, errorMessage } from '../core/errors.js';
import { sha256Hex } from '../core/fs.js';
import { canonicalJson } from '../core/json.js';
import { MAPPING_KEYS, type ControlDefinition, type ControlTest, type ExpectedResult, type Resource } from '../core/types.js';
import { compileExpression, type CompiledExpression } from '../rules/cel.js';
import { frameworkHas, loadFrameworks, type Frameworks } from './frameworks.js';
import { DEFAULT_CONTROLS_DIR } from '../core/defaults.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { YamlSource } from '../core/yaml-source.js';
import { ResourceSchemas } from './resource-schemas.js';
import { ruleReads, type RuleReads } from './rule-reads.js';

export interface CompiledCheck {
  require: CompiledExpression;
  message: CompiledExpression;
  /** Go on to the next checks after this one fails (report every failing check). */
  continue: boolean;
}

export interface CompiledRule {
  resources?: CompiledExpression;
  applies?: CompiledExpression;
  checks: CompiledCheck[];
  passMessage?: CompiledExpression;
  /**
   * The fields the rule reads, for failing narrowly on resources that could not be fully collected; absent
   * (hand-built rules in tests) means every field.
   */
  reads?: RuleReads;
}

export interface LoadedControl {
  definition: ControlDefinition;
  rule?: CompiledRule;
}

export interface Catalog {
  controls: LoadedControl[];
  frameworks: Frameworks;
  /** sha256 over every control definition and framework version: which catalog judged a pack. */
  digest: string;
}

export { DEFAULT_CONTROLS_DIR };

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    throw new UserError(`${dir}: cannot read controls directory: ${errorMessage(err)} (fix: pass an existing --controls directory)`);
  });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'frameworks') out.push(...(await yamlFiles(path)));
    } else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/**
 * Loads every control under `dir`, failing fast with one line naming file, line and field on: malformed YAML (an
 * unquoted CEL expression starting with "!" included), a schema violation, an unknown collector, an unknown
 * framework id, a duplicate id, a CEL expression that does not compile, a test fixture that does not match its
 * collector's resource schema, and a test expectation naming no resource of its fixture.
 */
export async function loadCatalog(dir: string = DEFAULT_CONTROLS_DIR, collectors: readonly Collector[]): Promise<Catalog> {
  const key = await cacheKey(dir, collectors);
  const cached = CACHE.get(key);
  if (cached) return cached;
  const loading = loadUncached(dir, collectors);
  CACHE.set(key, loading);
  loading.catch(() => CACHE.delete(key));
  if (CACHE.size > CACHE_ENTRIES) CACHE.delete(CACHE.keys().next().value as string);
  return loading;
}

/**
 * Loaded catalogs by content: a process that loads the same controls again (the test suite, which runs the CLI in
 * process hundreds of times) gets the compiled catalog back instead of parsing, validating and compiling every
 * control again (250-400 ms). The key covers every control and framework file's bytes, the directory, the working
 * directory (error labels are relative to it) and the collectors' ids, versions and resource schemas, so any change
 * loads afresh. Failures are not kept.
 */
const CACHE = new Map<string, Promise<Catalog>>();
const CACHE_ENTRIES = 16;

async function cacheKey(dir: string, collectors: readonly Collector[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([resolve(dir), process.cwd(), collectors.map((c) => [c.id, c.version, c.resourceSchema])]));
  const frameworks = join(dir, 'frameworks');
  const frameworkFiles = (await readdir(frameworks).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(frameworks, f));
  for (const path of [...frameworkFiles, ...(await yamlFiles(dir))]) {
    hash.update(`\0${path}\0`);
    hash.update(await readFile(path).catch(() => Buffer.from('\0missing')));
  }
  return hash.digest('hex');
}

async function loadUncached(dir: string, collectors: readonly Collector[]): Promise<Catalog> {
  const frameworks = await loadFrameworks(join(dir, 'frameworks'), relative(process.cwd(), join(dir, 'frameworks')) || 'controls/frameworks');
  const schemas = new ResourceSchemas(collectors);
  const seen = new Map<string, string>();
  const controls: LoadedControl[] = [];
  for (const path of await yamlFiles(dir)) {
    const label = relative(process.cwd(), path) || path;
    const source = await YamlSource.load(path, 'control definition', 'make it a readable regular YAML file, or remove it from the controls directory', label, {
      taggedValue: 'a CEL expression',
    });
    for (const { loaded, at } of validateFile(source, frameworks, schemas)) {
      const previous = seen.get(loaded.definition.id);
      if (previous) throw source.error(at('id'), `duplicate control id "${loaded.definition.id}" (also in ${previous})`, 'give each control a unique id');
      seen.set(loaded.definition.id, label);
      controls.push(loaded);
    }
  }
  if (controls.length === 0) throw new UserError(`${dir}: no control definitions found (fix: point --controls at a directory of *.yaml controls)`);
  controls.sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  const digest = sha256Hex(canonicalJson({ frameworks: frameworks.versions, controls: controls.map((c) => ({ ...c.definition, source: undefined })) }));
  return { controls, frameworks, digest: `sha256:${digest}` };
}

type Path = (string | number)[];
type RawTest = ControlTest & { variants?: string[] };
type RawControl = Omit<ControlDefinition, 'source' | 'kind' | 'params' | 'tests' | 'evidence'> &
  Partial<Pick<ControlDefinition, 'kind' | 'params' | 'evidence'>> & { tests?: RawTest[]; variants?: (Partial<ControlDefinition> & { id: string })[] };

/** One control of a file (the file itself, or one of its variants) and where each of its fields is written. */
interface Expanded {
  loaded: LoadedControl;
  /** YAML path of a top-level field of this control: the variant's own, else the file's. */
  at: (field: string) => Path;
}

function validateFile(source: YamlSource, frameworks: Frameworks, schemas: ResourceSchemas): Expanded[] {
  const value = source.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw source.error([], 'a control must be a YAML mapping', 'see schemas/control.schema.json');
  const raw = value as RawControl;
  if (raw.variants) {
    for (const field of ['id', 'title'] as const) {
      if (field in raw) throw source.error([field], `a file with variants takes no top-level ${field}`, `give each variant its own ${field}`);
    }
  }
  const validate = schemaValidator('control.schema.json');
  if (!validate(value)) {
    const err = validate.errors?.[0];
    if (err) {
      const { problem, fix } = describeSchemaError(err);
      throw source.error(errorPath(err), problem, fix);
    }
  }
  const tests = raw.tests ?? [];
  const variantIds = (raw.variants ?? []).map((v) => v.id);
  tests.forEach((t, i) =>
    (t.variants ?? []).forEach((id, j) => {
      if (!raw.variants) throw source.error(['tests', i, 'variants'], 'this control has no variants', 'remove the field');
      if (!variantIds.includes(id)) throw source.error(['tests', i, 'variants', j], `unknown variant "${id}"`, `use one of ${variantIds.join(', ')}`);
    }),
  );
  const { variants, ...shared } = raw;
  const forms = variants
    ? variants.map((variant, v) => ({
        fields: { ...shared, ...variant, params: { ...(shared.params ?? {}), ...(variant.params ?? {}) } } as RawControl,
        at: (field: string): Path => (field in variant ? ['variants', v, field] : [field]),
        id: variant.id,
      }))
    : [{ fields: shared, at: (field: string): Path => [field], id: undefined }];
  return forms.map(({ fields, at, id }) => {
    for (const field of ['severity', 'mappings', 'remediation'] as const) {
      if (fields[field] === undefined) throw source.error(at(field), 'is required but missing', 'set it in the variant or for the whole file');
    }
    const own = tests.map((test, index) => ({ test, index })).filter(({ test }) => !id || !test.variants || test.variants.includes(id));
    const definition: ControlDefinition = {
      ...fields,
      kind: fields.kind ?? 'automated',
      params: fields.params ?? {},
      tests: own.map(({ test: { variants: _v, ...test } }) => test),
      evidence: fields.evidence ?? [],
      source: source.file,
    };
    for (const key of MAPPING_KEYS) {
      (definition.mappings[key] ?? []).forEach((mapped, i) => {
        if (!frameworkHas(frameworks, key, String(mapped)))
          throw source.error([...at('mappings'), key, i], `unknown ${key} id "${mapped}"`, `use an id listed in controls/frameworks (${key} ${frameworks.versions[key]})`);
      });
    }
    definition.evidence.forEach((collector, i) => {
      if (!schemas.has(collector)) throw source.error(['evidence', i], `unknown collector "${collector}"`, 'use a collector id from `auditpack policy --list` or collectors/');
    });
    if (definition.kind === 'automated') checkTests(source, definition, own.map((o) => o.index), schemas, id);
    return { loaded: { definition, rule: definition.rule ? compileRule(source, definition, schemas, at) : undefined }, at };
  });
}

function statusOf(expected: ExpectedResult): string {
  return typeof expected === 'string' ? expected : expected.status;
}

function checkTests(source: YamlSource, definition: ControlDefinition, indexes: number[], schemas: ResourceSchemas, variant: string | undefined): void {
  const statuses = definition.tests.flatMap((t) => Object.values(t.expect).map(statusOf));
  if (!statuses.includes('PASS') || !statuses.includes('FAIL')) {
    throw source.error(
      ['tests'],
      `an automated control needs test cases expecting at least one PASS and one FAIL resource${variant ? ` (variant ${variant})` : ''}`,
      'add inline test cases',
    );
  }
  definition.tests.forEach((test, k) => {
    const i = indexes[k]!;
    const ids = new Set<string>();
    for (const [collector, resources] of Object.entries(test.evidence)) {
      if (!definition.evidence.includes(collector))
        throw source.error(['tests', i, 'evidence', collector], `test evidence "${collector}" is not in the control's evidence list`, 'use the collector ids the control declares');
      resources.forEach((resource: Resource, j) => {
        ids.add(resource.id);
        const problem = schemas.fixtureProblem(collector, resource);
        if (problem) throw source.error(['tests', i, 'evidence', collector, j, ...problem.path], problem.problem, problem.fix);
      });
    }
    for (const [id, expected] of Object.entries(test.expect)) {
      if (!ids.has(id)) throw source.error(['tests', i, 'expect', id], `"${id}" is not the id of a resource in this case's evidence`, 'expect results for the resources of the case, by id');
      if (typeof expected === 'object' && expected.matches !== undefined) {
        try {
          new RegExp(expected.matches);
        } catch (err) {
          throw source.error(['tests', i, 'expect', id, 'matches'], `not a regular expression: ${errorMessage(err)}`, 'correct the pattern');
        }
      }
    }
  });
}

function compileRule(source: YamlSource, definition: ControlDefinition, schemas: ResourceSchemas, at: (field: string) => Path): CompiledRule {
  const rule = definition.rule!;
  const compile = (path: Path, text: string): CompiledExpression => {
    try {
      return compileExpression(text);
    } catch (err) {
      throw source.error(path, `CEL does not compile: ${errorMessage(err).split('\n')[0]}`, 'correct the expression (variables: r, evidence, params, account, region, now)');
    }
  };
  const optional = (field: 'resources' | 'applies' | 'passMessage'): CompiledExpression | undefined =>
    rule[field] === undefined ? undefined : compile(['rule', field], rule[field]);
  return {
    resources: optional('resources'),
    applies: optional('applies'),
    checks: rule.checks.map((check, k) => ({
      require: compile(['rule', 'checks', k, 'require'], check.require),
      message: compile(['rule', 'checks', k, 'message'], check.message),
      continue: check.continue === true,
    })),
    passMessage: optional('passMessage'),
    reads: ruleReads(source, definition, schemas, at),
  };
}
