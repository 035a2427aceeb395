import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Collector } from '../core/collector.js';
import { UserError, errorMessage } from '../core/errors.js';
import { sha256Hex } from '../core/fs.js';
import { canonicalJson } from '../core/json.js';
import { MAPPING_KEYS, type ControlDefinition } from '../core/types.js';
import { compileExpression, type CompiledExpression } from '../rules/cel.js';
import { frameworkHas, loadFrameworks, type Frameworks } from './frameworks.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { YamlSource } from '../core/yaml-source.js';

export interface CompiledRule {
  resources?: CompiledExpression;
  applies?: CompiledExpression;
  pass: CompiledExpression;
  message: CompiledExpression;
  passMessage?: CompiledExpression;
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

export const DEFAULT_CONTROLS_DIR = join(PACKAGE_ROOT, 'controls');

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
 * Loads every control under `dir`, failing fast with one line naming file, line and field on: malformed YAML,
 * a schema violation, an unknown collector, an unknown framework id, a duplicate id, a CEL expression that does
 * not compile.
 */
export async function loadCatalog(dir: string = DEFAULT_CONTROLS_DIR, collectors: readonly Collector[]): Promise<Catalog> {
  const frameworks = await loadFrameworks(join(dir, 'frameworks'), relative(process.cwd(), join(dir, 'frameworks')) || 'controls/frameworks');
  const collectorIds = new Set(collectors.map((c) => c.id));
  const seen = new Map<string, string>();
  const controls: LoadedControl[] = [];
  for (const path of await yamlFiles(dir)) {
    const label = relative(process.cwd(), path) || path;
    const source = await YamlSource.load(path, 'control definition', 'make it a readable regular YAML file, or remove it from the controls directory', label);
    const loaded = validateControl(source, frameworks, collectorIds);
    const previous = seen.get(loaded.definition.id);
    if (previous) throw source.error(['id'], `duplicate control id "${loaded.definition.id}" (also in ${previous})`, 'give each control a unique id');
    seen.set(loaded.definition.id, label);
    controls.push(loaded);
  }
  if (controls.length === 0) throw new UserError(`${dir}: no control definitions found (fix: point --controls at a directory of *.yaml controls)`);
  controls.sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  const digest = sha256Hex(canonicalJson({ frameworks: frameworks.versions, controls: controls.map((c) => ({ ...c.definition, source: undefined })) }));
  return { controls, frameworks, digest: `sha256:${digest}` };
}

function validateControl(source: YamlSource, frameworks: Frameworks, collectorIds: Set<string>): LoadedControl {
  const value = source.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw source.error([], 'a control must be a YAML mapping', 'see schemas/control.schema.json');
  const validate = schemaValidator('control.schema.json');
  if (!validate(value)) {
    const err = validate.errors?.[0];
    if (err) {
      const { problem, fix } = describeSchemaError(err);
      throw source.error(errorPath(err), problem, fix);
    }
  }
  const raw = value as Omit<ControlDefinition, 'source' | 'kind' | 'params' | 'tests' | 'evidence'> &
    Partial<Pick<ControlDefinition, 'kind' | 'params' | 'tests' | 'evidence'>>;
  const definition: ControlDefinition = {
    ...raw,
    kind: raw.kind ?? 'automated',
    params: raw.params ?? {},
    tests: raw.tests ?? [],
    evidence: raw.evidence ?? [],
    source: source.file,
  };
  for (const key of MAPPING_KEYS) {
    (definition.mappings[key] ?? []).forEach((id, i) => {
      if (!frameworkHas(frameworks, key, String(id)))
        throw source.error(['mappings', key, i], `unknown ${key} id "${id}"`, `use an id listed in controls/frameworks (${key} ${frameworks.versions[key]})`);
    });
  }
  definition.evidence.forEach((id, i) => {
    if (!collectorIds.has(id)) throw source.error(['evidence', i], `unknown collector "${id}"`, 'use a collector id from `auditpack policy --list` or collectors/');
  });
  if (definition.kind === 'automated') {
    const tests = definition.tests;
    if (!tests.some((t) => t.expect === 'PASS') || !tests.some((t) => t.expect === 'FAIL'))
      throw source.error(['tests'], 'an automated control needs at least one PASS and one FAIL test case', 'add inline test cases');
    tests.forEach((t, i) =>
      Object.keys(t.evidence).forEach((id) => {
        if (!definition.evidence.includes(id)) throw source.error(['tests', i, 'evidence', id], `test evidence "${id}" is not in the control's evidence list`, 'use the collector ids the control declares');
      }),
    );
  }
  return { definition, rule: definition.rule ? compileRule(source, definition) : undefined };
}

function compileRule(source: YamlSource, definition: ControlDefinition): CompiledRule {
  const rule = definition.rule!;
  const compile = (field: keyof typeof rule): CompiledExpression | undefined => {
    const text = rule[field];
    if (text === undefined) return undefined;
    try {
      return compileExpression(text);
    } catch (err) {
      throw source.error(['rule', field], `CEL does not compile: ${errorMessage(err).split('\n')[0]}`, 'correct the expression (variables: r, evidence, params, account, region, now)');
    }
  };
  return {
    resources: compile('resources'),
    applies: compile('applies'),
    pass: compile('pass')!,
    message: compile('message')!,
    passMessage: compile('passMessage'),
  };
}
