import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectors } from '../../../collectors/index.js';
import type { ControlTest, Resource, Status } from '../../../src/core/types.js';
import { compileExpression } from '../../../src/rules/cel.js';

/**
 * Runs the identity controls' inline tests with the documented rule semantics (resources default to the first
 * evidence source, `applies` filters, any evaluation error is ERROR, none in scope is NOT_APPLICABLE, worst
 * status wins) and checks schema and framework ids, so the YAML is proven before the engine runs it.
 */
const root = join(import.meta.dirname, '../../..');
const controlFiles = ['iam', 'account'].flatMap((dir) =>
  readdirSync(join(root, 'controls', dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('controls', dir, f)),
);

interface ControlYaml {
  id: string;
  evidence: string[];
  params?: Record<string, unknown>;
  mappings: Record<string, string[]>;
  rule: { resources?: string; applies?: string; pass: string; message: string; passMessage?: string };
  tests: ControlTest[];
}

function frameworkIds(): Record<string, Set<string>> {
  const load = (name: string) => parse(readFileSync(join(root, 'controls/frameworks', name), 'utf8')) as Record<string, unknown>;
  const wa = load('well-architected.yaml') as { questions: { bestPractices: { id: string }[] }[] };
  const sr = load('shared-responsibility.yaml') as { items: { id: string }[] };
  const sh = load('security-hub.yaml') as { controls: { id: string }[] };
  const cis = load('cis-aws-3.0.yaml') as { requirements: { id: string }[] };
  return {
    'well-architected': new Set(wa.questions.flatMap((q) => q.bestPractices.map((b) => b.id))),
    'shared-responsibility': new Set(sr.items.map((i) => i.id)),
    'security-hub': new Set(sh.controls.map((c) => c.id)),
    'cis-aws-3.0': new Set(cis.requirements.map((r) => String(r.id))),
  };
}

const rank: Record<string, number> = { NOT_APPLICABLE: 0, PASS: 1, FAIL: 2, ERROR: 3 };

function evaluate(control: ControlYaml, test: ControlTest): { status: Status; messages: string[] } {
  const params = { ...control.params, ...test.params };
  const base = { evidence: test.evidence, params, account: '111111111111', region: 'global', now: new Date().toISOString() };
  const resources = control.rule.resources
    ? (compileExpression(control.rule.resources)(base) as Resource[])
    : (test.evidence[control.evidence[0] as string] ?? []);
  let status: Status = 'NOT_APPLICABLE';
  const messages: string[] = [];
  for (const r of resources) {
    const context = { ...base, r, region: r.region ?? 'global' };
    let result: Status;
    try {
      if (control.rule.applies && compileExpression(control.rule.applies)(context) !== true) continue;
      const pass = compileExpression(control.rule.pass)(context);
      if (typeof pass !== 'boolean') throw new Error(`pass is not a bool: ${String(pass)}`);
      result = pass ? 'PASS' : 'FAIL';
      const message = pass ? (control.rule.passMessage ?? '""') : control.rule.message;
      const text = compileExpression(message)(context);
      if (typeof text !== 'string') throw new Error('message is not a string');
      messages.push(text);
    } catch (err) {
      result = 'ERROR';
      messages.push(`ERROR ${(err as Error).message}`);
    }
    if ((rank[result] ?? 0) > (rank[status] ?? 0)) status = result;
  }
  return { status, messages };
}

describe('identity controls', () => {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/control.schema.json'), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const ids = frameworkIds();
  const collectorIds = new Set(collectors.map((c) => c.id));

  for (const file of controlFiles) {
    const control = parse(readFileSync(join(root, file), 'utf8')) as ControlYaml;
    describe(control.id, () => {
      it('matches the schema, framework ids and collector ids', () => {
        expect(validate(control), JSON.stringify(validate.errors)).toBe(true);
        for (const [key, values] of Object.entries(control.mappings)) {
          for (const v of values) expect(ids[key]?.has(v), `${key} ${v}`).toBe(true);
        }
        for (const e of control.evidence) expect(collectorIds.has(e), e).toBe(true);
        const expects = control.tests.map((t) => t.expect);
        expect(expects).toContain('PASS');
        expect(expects).toContain('FAIL');
      });
      for (const test of control.tests) {
        it(`inline test: ${test.name}`, () => {
          const { status, messages } = evaluate(control, test);
          expect(status, messages.join(' | ')).toBe(test.expect);
          for (const m of messages) expect(m.length).toBeGreaterThan(0);
        });
      }
    });
  }
});
