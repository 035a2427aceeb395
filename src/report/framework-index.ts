import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONTROLS_DIR } from '../core/defaults.js';
import { UserError, errorMessage } from '../core/errors.js';
import type { Status } from '../core/types.js';
import { YamlSource } from '../core/yaml-source.js';
import { worstStatus } from '../evaluate/judge.js';
import type { ControlResult } from '../results/types.js';
import type { FrameworkIndexView, FrameworkRequirementView } from './view-model.js';

/**
 * The `framework-index` section: the report numbered by a framework's own requirement ids (CIS 1.1, 1.2, … 1.10),
 * each with its title, profile level and assessment from the framework catalog, and the status of the report's
 * controls that map to it. A requirement no selected control maps to is NOT_COVERED.
 */

/** One requirement of a framework catalog (controls/frameworks/<key>.yaml), as the index shows it. */
export interface FrameworkRequirement {
  id: string;
  title: string;
  level?: string;
  assessment?: string;
  section?: string;
}

/** The reference data of one framework: its name, version and every requirement. */
export interface FrameworkReference {
  key: string;
  name: string;
  version: string;
  requirements: FrameworkRequirement[];
}

const LABELS: Record<string, string> = { 'cis-aws-3.0': 'CIS AWS 3.0' };

const cache = new Map<string, FrameworkReference>();

/** Reads `<dir>/<key>.yaml` (the generated framework catalog shipped with auditpack), cached per path. */
export function loadFrameworkReference(key: string, dir: string = join(DEFAULT_CONTROLS_DIR, 'frameworks')): FrameworkReference {
  const path = join(dir, `${key}.yaml`);
  const hit = cache.get(path);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read the framework catalog for the ${key} index: ${errorMessage(err)} (fix: restore it with npm run frameworks)`);
  }
  const raw = YamlSource.parse(path, text).value as { name?: unknown; version?: unknown; requirements?: Record<string, unknown>[] };
  if (!Array.isArray(raw.requirements)) throw new UserError(`${path}: requirements: not a list (fix: regenerate it with npm run frameworks)`);
  const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const reference: FrameworkReference = {
    key,
    name: str(raw.name) ?? key,
    version: str(raw.version) ?? '',
    requirements: raw.requirements.map((r) => {
      const level = str(r.level);
      const assessment = str(r.assessment);
      const section = str(r.section);
      return { id: String(r.id), title: str(r.title) ?? '', ...(level ? { level } : {}), ...(assessment ? { assessment } : {}), ...(section ? { section } : {}) };
    }),
  };
  cache.set(path, reference);
  return reference;
}

/** Dotted requirement ids in numeric order: 1.2 < 1.10 < 2.1.1 < 2.2.1 < 10.1. */
export function compareRequirementIds(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const d = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The index over `controls` (the report's selected controls). `assessedVersion` is the framework version the
 * run's catalog judged against (results.json run.catalog.frameworks); a different reference version is stated.
 */
export function frameworkIndexView(reference: FrameworkReference, controls: readonly ControlResult[], assessedVersion: string | undefined): FrameworkIndexView {
  const mapped = new Map<string, ControlResult[]>();
  for (const c of controls) {
    for (const id of c.mappings[reference.key as keyof ControlResult['mappings']] ?? []) {
      const list = mapped.get(id) ?? [];
      list.push(c);
      mapped.set(id, list);
    }
  }
  const known = new Set(reference.requirements.map((r) => r.id));
  const listed: FrameworkRequirement[] = [
    ...reference.requirements,
    // Ids a control maps to that the reference lacks (another framework version): shown, never dropped.
    ...[...mapped.keys()].filter((id) => !known.has(id)).map((id) => ({ id, title: '(not in this version of the framework)', section: 'Other' })),
  ];
  const requirements: (FrameworkRequirementView & { section: string })[] = listed
    .map((r) => {
      const covering = (mapped.get(r.id) ?? []).map((c) => ({ id: c.id, kind: c.kind, status: c.status }));
      covering.sort((a, b) => a.id.localeCompare(b.id));
      const status: Status | 'NOT_COVERED' = covering.length ? worstStatus(covering.map((c) => c.status)) : 'NOT_COVERED';
      return {
        id: r.id,
        title: r.title,
        ...(r.level ? { level: r.level } : {}),
        ...(r.assessment ? { assessment: r.assessment } : {}),
        section: r.section ?? r.id.split('.')[0] ?? '',
        status,
        controls: covering,
      };
    })
    .sort((a, b) => compareRequirementIds(a.id, b.id));
  const groups: FrameworkIndexView['groups'] = [];
  for (const { section, ...r } of requirements) {
    const last = groups[groups.length - 1];
    if (last && last.title === section) last.requirements.push(r);
    else groups.push({ title: section, requirements: [r] });
  }
  const levels = [...new Set(requirements.map((r) => r.level).filter((l): l is string => l !== undefined))].sort();
  const covered = requirements.filter((r) => r.status !== 'NOT_COVERED');
  return {
    framework: reference.key,
    label: LABELS[reference.key] ?? reference.key,
    name: reference.name,
    version: reference.version,
    ...(assessedVersion !== undefined && assessedVersion !== reference.version ? { assessedVersion } : {}),
    totals: {
      requirements: requirements.length,
      covered: covered.length,
      automated: requirements.filter((r) => r.controls.some((c) => c.kind === 'automated')).length,
      notCovered: requirements.length - covered.length,
      byLevel: levels.map((level) => ({ level, count: requirements.filter((r) => r.level === level).length })),
    },
    groups,
  };
}
