import type { ControlDefinition } from '../core/types.js';
import { COLLECTION_ERRORS } from '../core/types.js';
import type { YamlSource } from '../core/yaml-source.js';
import { ALL, R, expressionReads, listOrigin, mergeReads, type FieldReads } from '../rules/reads.js';
import type { ResourceSchemas } from './resource-schemas.js';

/**
 * The fields a control's rule reads (rules/reads.ts), split by what they decide: a resource whose collection
 * could not fill a field read by `applies` cannot be scoped, one read by the checks or messages cannot be judged.
 * Elements of evidence sources read outside `r` (evidence["..."] in any expression) affect the whole scope.
 */
export interface RuleReads {
  applies: FieldReads;
  verdict: FieldReads;
  all: FieldReads;
}

type Path = (string | number)[];

/** Each expression of the rule with its YAML path under the control (or variant). */
function expressions(definition: ControlDefinition): { path: Path; source: string }[] {
  const rule = definition.rule!;
  const out: { path: Path; source: string }[] = [];
  if (rule.resources !== undefined) out.push({ path: ['rule', 'resources'], source: rule.resources });
  if (rule.applies !== undefined) out.push({ path: ['rule', 'applies'], source: rule.applies });
  rule.checks.forEach((c, k) => {
    out.push({ path: ['rule', 'checks', k, 'require'], source: c.require });
    out.push({ path: ['rule', 'checks', k, 'message'], source: c.message });
  });
  if (rule.passMessage !== undefined) out.push({ path: ['rule', 'passMessage'], source: rule.passMessage });
  return out;
}

/**
 * Computes what the rule reads and checks every field read against the resource schema of the collector it comes
 * from: a rule that reads a field no collector emits (a misspelling, a renamed field) is refused at load, because
 * at run time it could only ever be ERROR. `r` comes from the first evidence source unless rule.resources picks
 * elements of another (evidence["id"].filter(...)); when it builds new values, `r` is not checked.
 */
export function ruleReads(source: YamlSource, definition: ControlDefinition, schemas: ResourceSchemas, at: (field: string) => Path): RuleReads {
  const resources = definition.rule?.resources;
  const origin = resources === undefined ? definition.evidence[0] : listOrigin(resources);
  const each = expressions(definition).map((e) => ({ ...e, reads: expressionReads(e.source) }));
  for (const { path, reads } of each) {
    for (const [from, fields] of reads) {
      const collector = from === R ? origin : from;
      if (collector === undefined || collector === ALL) continue;
      const yamlPath = [...at('rule'), ...path.slice(1)];
      if (from !== R && !definition.evidence.includes(collector))
        throw source.error(yamlPath, `reads evidence["${collector}"], which is not in the control's evidence list`, `add ${collector} to evidence, or read a declared source`);
      const known = schemas.fieldsOf(collector);
      if (!known) continue;
      for (const field of fields) {
        if (field === ALL || field === COLLECTION_ERRORS || known.includes(field)) continue;
        const hint = schemas.closestField(collector, field);
        throw source.error(
          yamlPath,
          `reads ${from === R ? 'r' : `an element of evidence["${collector}"]`}.${field}, a field ${collector} never emits${hint ? ` (did you mean ${hint}?)` : ''}`,
          `use a field of the ${collector} resource schema (${known.join(', ')})`,
        );
      }
    }
  }
  const pick = (paths: (p: Path) => boolean): FieldReads => mergeReads(...each.filter((e) => paths(e.path)).map((e) => e.reads));
  return {
    applies: pick((p) => p[1] === 'applies'),
    verdict: pick((p) => p[1] === 'checks' || p[1] === 'passMessage'),
    all: pick(() => true),
  };
}
