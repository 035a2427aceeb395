/**
 * Checks this domain's controls before the engine's `auditpack controls test` exists: schema, framework ids,
 * CEL compilation, and the inline tests run with the documented semantics (resources/applies/pass/message,
 * worst status wins, no resources in scope = NOT_APPLICABLE, any evaluation error = ERROR).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loggingDataCollectors } from '../../../collectors/logging-data.js';
import { compileExpression } from '../../../src/rules/cel.js';

const ROOT = join(import.meta.dirname, '../../..');
const SERVICES = ['cloudtrail', 'config', 'guardduty', 'rds', 'kms', 'efs', 'secretsmanager', 'lambda'];

interface Control {
  id: string;
  evidence: string[];
  params?: Record<string, unknown>;
  mappings: Record<string, string[]>;
  rule: { resources?: string; applies?: string; pass: string; message: string; passMessage?: string };
  tests: { name: string; evidence: Record<string, Record<string, unknown>[]>; params?: Record<string, unknown>; expect: string }[];
}

const files = SERVICES.flatMap((s) => readdirSync(join(ROOT, 'controls', s)).filter((f) => f.endsWith('.yaml')).map((f) => join('controls', s, f)));
const controls = files.map((f) => ({ file: f, control: parse(readFileSync(join(ROOT, f), 'utf8')) as Control }));

function frameworkIds(file: string): Set<string> {
  const ids = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const id = (node as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id);
      Object.values(node).forEach(walk);
    }
  };
  walk(parse(readFileSync(join(ROOT, 'controls/frameworks', file), 'utf8')));
  return ids;
}

const FRAMEWORKS: Record<string, Set<string>> = {
  'well-architected': frameworkIds('well-architected.yaml'),
  'shared-responsibility': frameworkIds('shared-responsibility.yaml'),
  'security-hub': frameworkIds('security-hub.yaml'),
  'cis-aws-3.0': frameworkIds('cis-aws-3.0.yaml'),
};

const RANK: Record<string, number> = { NOT_APPLICABLE: 0, PASS: 1, FAIL: 2, ERROR: 3 };

function evaluate(control: Control, evidence: Record<string, unknown[]>, params: Record<string, unknown>): { status: string; messages: string[] } {
  const base = { evidence, params, account: '111111111111', region: 'us-east-1', now: '2025-01-01T00:00:00.000Z' };
  const resources = (control.rule.resources ? compileExpression(control.rule.resources)(base) : evidence[control.evidence[0] as string]) as unknown[];
  let status = 'NOT_APPLICABLE';
  const messages: string[] = [];
  for (const r of resources) {
    const ctx = { ...base, r };
    let result: string;
    try {
      if (control.rule.applies && compileExpression(control.rule.applies)(ctx) !== true) continue;
      const pass = compileExpression(control.rule.pass)(ctx);
      if (typeof pass !== 'boolean') throw new Error(`pass is not a bool: ${String(pass)}`);
      const message = pass ? (control.rule.passMessage ? compileExpression(control.rule.passMessage)(ctx) : '') : compileExpression(control.rule.message)(ctx);
      if (typeof message !== 'string') throw new Error('message is not a string');
      messages.push(message);
      result = pass ? 'PASS' : 'FAIL';
    } catch (err) {
      messages.push(`ERROR ${(err as Error).message}`);
      result = 'ERROR';
    }
    if ((RANK[result] as number) > (RANK[status] as number)) status = result;
  }
  return { status, messages };
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/control.schema.json'), 'utf8')));
const collectorIds = new Set(loggingDataCollectors.map((c) => c.id));

describe('logging & data controls', () => {
  it('has at least 11 controls', () => expect(controls.length).toBeGreaterThanOrEqual(11));

  for (const { file, control } of controls) {
    describe(control.id, () => {
      it('matches the schema, its file and the framework catalogs', () => {
        expect(validate(control), JSON.stringify(validate.errors)).toBe(true);
        expect(file.startsWith(`controls/${control.id.split('-')[0]}/`)).toBe(true);
        for (const [framework, ids] of Object.entries(control.mappings)) for (const id of ids) expect(FRAMEWORKS[framework]?.has(id), `${framework} ${id}`).toBe(true);
        for (const id of control.evidence) expect(collectorIds.has(id), id).toBe(true);
      });

      it('compiles', () => {
        for (const source of Object.values(control.rule)) expect(() => compileExpression(source)).not.toThrow();
      });

      for (const test of control.tests) {
        it(`inline test: ${test.name}`, () => {
          const { status, messages } = evaluate(control, test.evidence, { ...control.params, ...test.params });
          expect(messages.filter((m) => m.startsWith('ERROR'))).toEqual(test.expect === 'ERROR' ? expect.anything() : []);
          if (process.env.SHOW_MESSAGES) console.log(control.id, test.name, status, messages);
          expect(status).toBe(test.expect);
        });
      }
    });
  }
});
