import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../helpers/moto.js';
import type { Manifest } from '../../src/locker/pack.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { generateKeys } from '../../src/sign/keys.js';
import { cliInProcess, type CliResult } from '../helpers/cli.js';
import { prng } from '../helpers/prng.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every path to a value in a JSON document (bounded, so huge evidence files do not dominate). */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length > 5000) return out;
  out.push(prefix);
  if (Array.isArray(value)) value.slice(0, 20).forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const REPLACEMENTS: Json[] = [null, true, 0, -1, 1e308, 0.5, '', '../../../../etc/passwd', '/dev/zero', 'x'.repeat(20_000), '<script>alert(1)</script>', '=HYPERLINK("http://x")', '9'.repeat(12), 'not-a-date', [], {}, [null], { id: 1 }, 'ERROR', 'PASS'];

/** Changes one field: replace it with a value of another type or shape, delete it, or duplicate an array item. */
function mutate(doc: Json, random: () => number): string {
  const all = paths(doc).filter((p) => p.length > 0);
  const path = all[Math.floor(random() * all.length)]!;
  const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, doc) as Record<string | number, Json>;
  const key = path[path.length - 1]!;
  const op = random();
  if (op < 0.15) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return `delete ${path.join('.')}`;
  }
  if (op < 0.25 && Array.isArray(parent)) {
    parent.push(parent[Number(key)]!);
    return `duplicate ${path.join('.')}`;
  }
  const value = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)]!;
  parent[key] = structuredClone(value);
  return `set ${path.join('.')} = ${JSON.stringify(value).slice(0, 40)}`;
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.json')) out.push(relative(dir, join(e.parentPath, e.name)));
  }
  return out.sort();
}

/** The attacker of an unsigned pack: re-hash every listed file so the manifest matches the mutation. */
async function reseal(dir: string): Promise<void> {
  const text = await readFile(join(dir, 'manifest.json'), 'utf8');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    return;
  }
  if (!Array.isArray(manifest.files)) return;
  for (const f of manifest.files) {
    if (typeof f !== 'object' || f === null || typeof f.path !== 'string' || f.path.includes('..') || f.path.startsWith('/')) continue;
    const data = await readFile(join(dir, f.path)).catch(() => undefined);
    if (data) Object.assign(f, { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length });
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  // The reports commit to the old manifest digest: an attacker drops them (they are not listed).
  for (const f of ['report.html', 'report.pdf']) await rm(join(dir, f), { force: true });
}

/** A command either succeeds (0, or 1/3/6 for its verdict) or refuses cleanly (2 or 4, one line): never crashes. */
function expectClean(label: string, result: CliResult): void {
  const context = `${label}\nexit ${result.code}\n${result.stderr.slice(0, 2000)}`;
  expect([0, 1, 2, 3, 4, 6], context).toContain(result.code);
  expect(result.stderr, context).not.toMatch(/internal error|\n\s+at |TypeError|RangeError/);
  if (result.code === 2 || result.code === 4) expect(result.stderr.trim().split('\n'), context).toHaveLength(1);
}

describe('pack mutation: every command refuses a mutated pack cleanly or succeeds, never crashes', () => {
  const moto = useMoto();
  let base: string;
  let signed: string;
  let keys: string;

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'auditpack-mutation-'));
    keys = join(out, 'keys');
    await generateKeys(keys, { organisation: 'Mutation Test' });
    const run = async (): Promise<string> =>
      (await collectAndAssess({ out: join(out, 'packs'), regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 1, controlIds: ['iam-root-mfa', 'iam-password-min-length', 's3-bucket-versioning', 'ec2-ebs-default-encryption', 'manual-threat-model', 'inherited-physical-security'] })).packDir;
    base = await run();
    await renderReports(base, { noSign: true });
    signed = await run();
    await renderReports(signed, { keysDir: keys });
  }, 180_000);

  const commands = (pack: string, other: string): [string, string[]][] => [
    ['verify', ['verify', pack, '--allow-unsigned']],
    ['diff', ['diff', other, pack]],
    ['push', ['push', 'securityhub', pack, '--dry-run']],
    ['report', ['report', pack, '--no-sign']],
    ['assess', ['assess', pack]],
  ];

  it.each([
    ['unsigned pack, re-sealed after each mutation (reaches every parser)', 'unsigned', 1, 60],
    ['signed pack, mutated without re-sealing', 'signed', 2, 20],
  ] as const)('%s', async (_label, which, seed, count) => {
    const random = prng(seed);
    const outcomes = new Map<string, number>();
    const source = which === 'unsigned' ? base : signed;
    const files = (await jsonFiles(source)).filter((f) => !f.startsWith('findings') && !f.startsWith('securityhub'));
    for (let i = 0; i < count; i++) {
      const copy = join(await mkdtemp(join(tmpdir(), 'auditpack-mutant-')), 'pack');
      await cp(source, copy, { recursive: true });
      const file = files[Math.floor(random() * files.length)]!;
      const doc = JSON.parse(await readFile(join(copy, file), 'utf8')) as Json;
      const what = mutate(doc, random);
      await writeFile(join(copy, file), JSON.stringify(doc, null, 2));
      if (which === 'unsigned' && file !== 'manifest.json') await reseal(copy);
      for (const [name, args] of commands(copy, source)) {
        const result = await cliInProcess(args);
        expectClean(`seed ${seed} #${i}: ${file}: ${what} -> ${name}`, result);
        const key = `${name} ${result.code}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (process.env.MUTATION_DEBUG) process.stdout.write(`${file}: ${what} -> ${name} ${result.code} ${result.stderr.slice(0, 200)}\n`);
      }
      await rm(copy, { recursive: true, force: true });
    }
    // The test must reach past the first refusal: some mutants pass every check (a field no check depends on).
    if (which === 'unsigned') expect([...outcomes.keys()].filter((k) => /^(assess|report) [013]$/.test(k)).length, JSON.stringify([...outcomes])).toBeGreaterThan(0);
  }, 600_000);
});
