import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { YamlSource } from '../core/yaml-source.js';
import type { UserError } from '../core/errors.js';

/**
 * The path fields of auditpack.yaml, with the flag that sets the same thing. A configuration file is input that
 * may come from a repository or a ticket; its paths are confined to its own folder so it cannot point a run at
 * (or make it write to) anything else on the machine. A path typed on the command line stays free.
 */
export const CONFIG_PATH_FIELDS: readonly { path: readonly string[]; flag?: string }[] = [
  { path: ['out'], flag: '--out' },
  { path: ['waivers'], flag: '--waivers' },
  { path: ['attestations'], flag: '--attestations' },
  { path: ['report', 'definition'], flag: '--definition' },
  { path: ['report', 'previous'], flag: '--previous' },
  { path: ['report', 'history'], flag: '--history' },
  { path: ['signing', 'keys'], flag: '--keys' },
  { path: ['securityHub', 'previous'] },
];

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/**
 * Why a path from the configuration does not stay inside its folder, or the cleaned relative path (`.` segments
 * and a trailing slash dropped, so `./packs/` is `packs`; `.` alone is the folder itself, returned as '').
 */
export function configPathProblem(path: string): { problem: string } | { clean: string } {
  if (path.length === 0) return { problem: 'is empty' };
  if (path.length > 1024) return { problem: 'is longer than 1024 characters' };
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return { problem: 'contains a control character or a backslash' };
  if (path.startsWith('/')) return { problem: 'is an absolute path' };
  if (path.startsWith('~')) return { problem: 'starts with "~" (a home folder)' };
  if (/^[A-Za-z]:/.test(path)) return { problem: 'starts with a drive letter' };
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { problem: 'leaves the configuration folder with ".."' };
  if (segments.length > 16) return { problem: 'is nested deeper than 16 levels' };
  return { clean: segments.join('/') };
}

/** The first component of `rel` under `base` that exists and is a symlink (it could lead out of the folder). */
async function symlinkOnTheWay(base: string, rel: string): Promise<string | undefined> {
  let current = base;
  let shown = '';
  for (const segment of rel ? rel.split('/') : []) {
    current = join(current, segment);
    shown = shown ? `${shown}/${segment}` : segment;
    const stats = await lstat(current).catch(() => undefined);
    if (!stats) return undefined; // the rest does not exist yet (e.g. an `out` folder a run will create)
    if (stats.isSymbolicLink()) return shown;
  }
  return undefined;
}

/**
 * Checks every path field of a parsed configuration against `base` (the configuration file's folder) and returns
 * a copy with those fields resolved under it. A path that is absolute, leaves the folder or goes through a
 * symlink is a one-line error naming the file, line, field and the fix.
 */
export async function confinePaths<T>(source: YamlSource, config: T, base: string): Promise<T> {
  const resolved = structuredClone(config) as Record<string, unknown>;
  for (const { path, flag } of CONFIG_PATH_FIELDS) {
    const value = valueAt(config, path);
    if (value === undefined) continue;
    const fix = `give a path relative to the configuration file's folder, inside it${flag ? `, or pass ${flag} on the command line` : ''}`;
    const refuse = (problem: string): UserError => source.error(path, problem, fix);
    // The schema types these fields; a non-string here means the schema and this list disagree.
    if (typeof value !== 'string') throw refuse('must be a string');
    const checked = configPathProblem(value);
    if ('problem' in checked) throw refuse(`${JSON.stringify(value.slice(0, 200))} ${checked.problem}; paths in a configuration file must stay inside its folder`);
    const link = await symlinkOnTheWay(base, checked.clean);
    if (link) throw refuse(`${JSON.stringify(value.slice(0, 200))} goes through the symbolic link ${JSON.stringify(link)}, which may lead outside the configuration folder`);
    const parent = path.slice(0, -1).reduce<Record<string, unknown>>((obj, key) => obj[key] as Record<string, unknown>, resolved);
    parent[path[path.length - 1] as string] = checked.clean ? join(base, checked.clean) : base;
  }
  return resolved as T;
}
