import { mkdtemp, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { YAML_LIMITS, YamlSource, readYamlInput } from '../../../src/core/yaml-source.js';
import { loadReportDefinition } from '../../../src/report/definition.js';
import { loadWaivers } from '../../../src/workflow/waivers.js';

/** The classic "billion laughs": nine aliases of nine aliases of ... nine strings, 9^9 nodes once expanded. */
function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const name = String.fromCharCode(97 + i);
    const prev = String.fromCharCode(96 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** One large anchored list aliased 99 times: within yaml's alias count, a hundredfold once expanded. */
function wideAliases(): string {
  const big = `[${Array.from({ length: 50_000 }, (_, i) => `"item-${i}"`).join(',')}]`;
  return `big: &big ${big}\ncopies: [${Array(99).fill('*big').join(',')}]\n`;
}

function expectOneLine(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  const message = (caught as UserError).message;
  expect(message).toMatch(pattern);
  expect(message.includes('\n')).toBe(false);
  expect((caught as UserError).exitCode).toBe(2);
}

describe('YamlSource limits', () => {
  it('refuses an alias bomb with one line naming the file', () => {
    expectOneLine(() => YamlSource.parse('bomb.yaml', billionLaughs()), /^bomb\.yaml: YAML aliases expand to more than 100 nodes \(an alias bomb\?\) \(fix: /);
  });

  it('refuses a hundredfold expansion through many aliases of one large node', () => {
    expectOneLine(() => YamlSource.parse('wide.yaml', wideAliases()), /^wide\.yaml: YAML aliases expand the document past \d+ nodes and characters/);
  });

  it('still accepts ordinary anchors and aliases', () => {
    const source = YamlSource.parse('ok.yaml', 'defaults: &d {a: 1}\none: *d\ntwo: *d\n');
    expect(source.value).toEqual({ defaults: { a: 1 }, one: { a: 1 }, two: { a: 1 } });
  });

  it('refuses deep flow nesting before the parser recurses', () => {
    expectOneLine(() => YamlSource.parse('deep.yaml', `${'['.repeat(200_000)}${']'.repeat(200_000)}`), /^deep\.yaml: YAML nests \[ \] or \{ \} more than 256 levels deep/);
  });

  it('refuses text over the size limit', () => {
    expectOneLine(() => YamlSource.parse('big.yaml', `a: "${'x'.repeat(YAML_LIMITS.maxBytes)}"\n`), /^big\.yaml: YAML input is \d+ bytes, more than the limit of \d+/);
  });

  it('reads inputs through readInputFile: a FIFO is refused, not waited on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-yaml-'));
    const fifo = join(dir, 'waivers.yaml');
    execFileSync('mkfifo', [fifo]);
    await expect(readYamlInput(fifo, 'waivers file', 'pass a regular file')).rejects.toThrow(/waivers\.yaml: cannot read waivers file: is a FIFO, not a regular file \(fix: pass a regular file\)$/);
    await expect(loadWaivers(fifo, new Set())).rejects.toThrow(UserError);
  });

  it('names the file for a bomb in a waivers file and a report definition', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-yaml-'));
    const waivers = join(dir, 'waivers.yaml');
    const definition = join(dir, 'report.yaml');
    await writeFile(waivers, billionLaughs());
    await writeFile(definition, billionLaughs());
    await expect(loadWaivers(waivers, new Set())).rejects.toThrow(new RegExp(`^${waivers}: YAML aliases expand`));
    await expect(loadReportDefinition(definition)).rejects.toThrow(new RegExp(`^${definition}: YAML aliases expand`));
    await writeFile(waivers, 'x'.repeat(YAML_LIMITS.maxBytes + 1));
    await expect(loadWaivers(waivers, new Set())).rejects.toThrow(/cannot read waivers file: is \d+ bytes, more than the limit/);
  });
});
