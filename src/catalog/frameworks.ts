import { join } from 'node:path';
import type { MappingKey } from '../core/types.js';
import { UserError } from '../core/errors.js';
import { YamlSource } from '../core/yaml-source.js';

export interface BestPractice {
  id: string;
  title: string;
  risk: string;
  question: string;
}
export interface WaQuestion {
  id: string;
  title: string;
  area: string;
  bestPractices: { id: string; title: string; risk: string }[];
}
export interface ResponsibilityItem {
  id: string;
  owner: 'aws' | 'customer' | 'shared';
  title: string;
  inherited: boolean;
}
export interface SecurityHubControl {
  id: string;
  title: string;
  severity: string;
  inFsbp: boolean;
  status?: string;
  /** Standard keys (fsbp, cis-aws-3.0.0, nist-800-53-r5, ...) from the controls reference's "Applicable standards". */
  standards: string[];
  cis30: string[];
}
/** One CIS AWS Foundations Benchmark v3.0.0 recommendation (controls/frameworks/cis-aws-3.0.yaml). */
export interface CisRecommendation {
  id: string;
  title: string;
  level: 'L1' | 'L2';
  assessment: 'Automated' | 'Manual';
  section?: string;
  securityHub: string[];
}
export interface CrosswalkEntry {
  old: string;
  new: string | null;
  basis: string;
  verified: boolean;
}

/** The framework catalogs (controls/frameworks/*.yaml) that every control mapping is validated against. */
export interface Frameworks {
  wellArchitected: { version: string; questions: WaQuestion[]; bestPractices: Map<string, BestPractice>; crosswalk: { fromVersion: string; mappings: CrosswalkEntry[] } };
  sharedResponsibility: { version: string; items: Map<string, ResponsibilityItem> };
  securityHub: { version: string; controls: Map<string, SecurityHubControl> };
  cis: { version: string; requirements: Set<string>; recommendations: Map<string, CisRecommendation> };
  versions: Record<MappingKey, string>;
}

interface WaFile {
  version: string;
  questions: WaQuestion[];
  crosswalk: { fromVersion: string; mappings: CrosswalkEntry[] };
}
interface SrFile {
  version: string;
  items: ResponsibilityItem[];
}
interface ShFile {
  version: string;
  controls: SecurityHubControl[];
}
interface CisFile {
  version: string;
  requirements: CisRecommendation[];
}

async function loadYaml<T>(path: string, label: string): Promise<T> {
  const source = await YamlSource.load(path, 'framework catalog', 'restore the file from the auditpack controls/frameworks directory', label);
  return source.value as T;
}

export async function loadFrameworks(dir: string, label = 'controls/frameworks'): Promise<Frameworks> {
  const wa = await loadYaml<WaFile>(join(dir, 'well-architected.yaml'), `${label}/well-architected.yaml`);
  const sr = await loadYaml<SrFile>(join(dir, 'shared-responsibility.yaml'), `${label}/shared-responsibility.yaml`);
  const sh = await loadYaml<ShFile>(join(dir, 'security-hub.yaml'), `${label}/security-hub.yaml`);
  const cis = await loadYaml<CisFile>(join(dir, 'cis-aws-3.0.yaml'), `${label}/cis-aws-3.0.yaml`);
  const cisLabel = `${label}/cis-aws-3.0.yaml`;
  for (const r of cis.requirements) {
    if (r.level !== 'L1' && r.level !== 'L2') throw new UserError(`${cisLabel}: CIS recommendation ${String(r.id)} has level "${String(r.level)}" (expected L1 or L2); regenerate the file with npm run frameworks`);
    if (r.assessment !== 'Automated' && r.assessment !== 'Manual')
      throw new UserError(`${cisLabel}: CIS recommendation ${String(r.id)} has assessment "${String(r.assessment)}" (expected Automated or Manual); regenerate the file with npm run frameworks`);
  }
  const bestPractices = new Map<string, BestPractice>();
  for (const q of wa.questions) for (const bp of q.bestPractices) bestPractices.set(bp.id, { ...bp, question: q.id });
  return {
    wellArchitected: { version: String(wa.version), questions: wa.questions, bestPractices, crosswalk: wa.crosswalk },
    sharedResponsibility: { version: String(sr.version), items: new Map(sr.items.map((i) => [i.id, i])) },
    securityHub: { version: String(sh.version), controls: new Map(sh.controls.map((c) => [c.id, { ...c, standards: c.standards ?? [], cis30: c.cis30 ?? [] }])) },
    cis: {
      version: String(cis.version),
      requirements: new Set(cis.requirements.map((r) => String(r.id))),
      recommendations: new Map(cis.requirements.map((r) => [String(r.id), { ...r, id: String(r.id), securityHub: r.securityHub ?? [] }])),
    },
    versions: {
      'well-architected': String(wa.version),
      'shared-responsibility': String(sr.version),
      'security-hub': String(sh.version),
      'cis-aws-3.0': String(cis.version),
    },
  };
}

/** Is `id` a known entry of framework `key`? */
export function frameworkHas(frameworks: Frameworks, key: MappingKey, id: string): boolean {
  switch (key) {
    case 'well-architected':
      return frameworks.wellArchitected.bestPractices.has(id);
    case 'shared-responsibility':
      return frameworks.sharedResponsibility.items.has(id);
    case 'security-hub':
      return frameworks.securityHub.controls.has(id);
    case 'cis-aws-3.0':
      return frameworks.cis.requirements.has(id);
  }
}
