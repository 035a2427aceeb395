import type { Frameworks } from '../catalog/frameworks.js';
import type { MappingKey, Responsibility, Severity, Status } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import type { ControlOutcome } from '../evaluate/evaluate.js';
import { worstStatus } from '../evaluate/judge.js';
import { countStatuses, weightedScore } from '../score/score.js';
import type { ControlResult, RefusedScope, RequirementRollup, ResultsDocument, Rollup, RunInfo, Summary, WorkflowSummary } from './types.js';

function rollup(controls: ControlResult[]): Rollup {
  return { byStatus: countStatuses(controls.map((c) => c.status)), score: weightedScore(controls) };
}

function toControlResult(outcome: ControlOutcome): ControlResult {
  const d = outcome.definition;
  return {
    id: d.id,
    title: d.title,
    description: d.description,
    ...(d.rationale ? { rationale: d.rationale } : {}),
    severity: d.severity,
    kind: d.kind,
    responsibility: d.responsibility,
    status: outcome.status,
    mappings: d.mappings,
    params: outcome.params,
    remediation: d.remediation,
    ...(d.inherited ? { inherited: d.inherited } : {}),
    source: d.source,
    evidence: d.evidence,
    counts: countStatuses(outcome.results.map((r) => r.status)),
    results: outcome.results,
    ...provenanceFields(outcome),
  };
}

/** The control's evidence sources and oldest evidence (automated controls only). */
function provenanceFields(outcome: ControlOutcome): Pick<ControlResult, 'evidenceSources' | 'oldestEvidence' | 'evidenceAgeSeconds' | 'unreadableProvenance'> {
  const p = outcome.provenance;
  if (!p) return {};
  return {
    evidenceSources: [...p.sources],
    ...(p.oldest === undefined ? {} : { oldestEvidence: p.oldest }),
    ...(p.ageSeconds === undefined ? {} : { evidenceAgeSeconds: p.ageSeconds }),
    ...(p.unreadable > 0 ? { unreadableProvenance: p.unreadable } : {}),
  };
}

function mapped(controls: ControlResult[], key: MappingKey, id: string): ControlResult[] {
  return controls.filter((c) => (c.mappings[key] ?? []).includes(id));
}

function coverageStatus(controls: ControlResult[]): Status | 'NOT_COVERED' {
  return controls.length ? worstStatus(controls.map((c) => c.status)) : 'NOT_COVERED';
}

function requirementRollups(controls: ControlResult[], key: 'security-hub' | 'cis-aws-3.0'): RequirementRollup[] {
  const ids = [...new Set(controls.flatMap((c) => c.mappings[key] ?? []))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return ids.map((id) => {
    const covering = mapped(controls, key, id);
    return { id, status: worstStatus(covering.map((c) => c.status)), controls: covering.map((c) => c.id) };
  });
}

function summarise(controls: ControlResult[], frameworks: Frameworks): Omit<Summary, keyof WorkflowSummary> {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, rollup(controls.filter((c) => c.severity === s))])) as Record<Severity, Rollup>;
  const owners: Responsibility[] = ['customer', 'shared', 'aws'];
  const byResponsibility = Object.fromEntries(owners.map((o) => [o, rollup(controls.filter((c) => c.responsibility === o))])) as Record<Responsibility, Rollup>;
  const questions = frameworks.wellArchitected.questions.map((q) => {
    const bestPractices = q.bestPractices.map((bp) => {
      const covering = mapped(controls, 'well-architected', bp.id);
      const coverage = (['automated', 'manual', 'inherited'] as const).filter((k) => covering.some((c) => c.kind === k));
      // The crosswalk lets a reader who still uses the older numbering (Prowler, Steampipe) find the practice.
      const formerIds = frameworks.wellArchitected.crosswalk.mappings.filter((m) => m.new === bp.id && m.old !== bp.id).map((m) => m.old);
      return { id: bp.id, title: bp.title, formerIds, coverage, status: coverageStatus(covering), controls: covering.map((c) => c.id), ...rollup(covering) };
    });
    const inQuestion = controls.filter((c) => (c.mappings['well-architected'] ?? []).some((id) => id.startsWith(`${q.id}-`)));
    return { id: q.id, title: q.title, ...rollup(inQuestion), bestPractices };
  });
  const items = [...frameworks.sharedResponsibility.items.values()].map((item) => {
    const covering = mapped(controls, 'shared-responsibility', item.id);
    return { id: item.id, owner: item.owner, title: item.title, status: coverageStatus(covering), controls: covering.map((c) => c.id), ...rollup(covering) };
  });
  return {
    ...rollup(controls),
    resultsByStatus: countStatuses(controls.flatMap((c) => c.results.map((r) => r.status))),
    bySeverity,
    byResponsibility,
    wellArchitected: {
      version: frameworks.wellArchitected.version,
      formerVersion: frameworks.wellArchitected.crosswalk.fromVersion,
      retiredIds: frameworks.wellArchitected.crosswalk.mappings.filter((m) => m.new === null).map((m) => m.old),
      questions,
    },
    sharedResponsibility: { version: frameworks.sharedResponsibility.version, items },
    frameworks: {
      'security-hub': { version: frameworks.securityHub.version, requirements: requirementRollups(controls, 'security-hub') },
      'cis-aws-3.0': { version: frameworks.cis.version, requirements: requirementRollups(controls, 'cis-aws-3.0') },
    },
  };
}

/**
 * Builds results.json from the outcomes: deterministic (sorted controls and results, no wall-clock time).
 * `refusals` (from refusedScopes over the pack's evidence) is written only when there are some, so results of a
 * pack without refusals are the same bytes as before the field existed.
 */
export function buildResults(
  run: RunInfo,
  outcomes: ControlOutcome[],
  frameworks: Frameworks,
  workflow: WorkflowSummary = { waivers: [], attestations: [] },
  refusals: readonly RefusedScope[] = [],
): ResultsDocument {
  const controls = outcomes.map(toControlResult).sort((a, b) => a.id.localeCompare(b.id));
  const summary: Summary = { ...summarise(controls, frameworks), ...workflow, ...(refusals.length ? { refusals: [...refusals] } : {}) };
  return { schemaVersion: '1', run, summary, controls };
}
