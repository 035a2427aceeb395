import { SEVERITIES, STATUSES, type Status } from '../core/types.js';
import type { Manifest, ManifestFile } from '../locker/pack.js';
import type { ControlResult, ResultsDocument } from '../results/types.js';
import { REFUSAL_CAUSE_TEXT } from '../results/refusals.js';
import { worstStatus } from '../evaluate/judge.js';
import { idMatches, reportLimits, type ReportDefinition } from './definition.js';
import { accountsView } from './accounts.js';
import { capResults, displayText } from './result-cap.js';
import { evidenceProvenanceView } from './evidence-age.js';
import { RESULT_CATEGORIES, type ResultCategory, type ResultChange } from '../diff/types.js';
import { frameworkIndexView, loadFrameworkReference, type FrameworkReference } from './framework-index.js';
import type {
  ChangesView,
  ControlView,
  EvidenceFileView,
  RefusalView,
  RegisterEntry,
  ReportView,
  StatusCount,
  SummaryView,
  VerificationStep,
  WaAutomation,
  WaCoverageBaseline,
  WaQuestionView,
  WellArchitectedView,
} from './view-model.js';

const FRAMEWORK_LABELS: Record<string, string> = {
  'well-architected': 'Well-Architected',
  'shared-responsibility': 'Shared responsibility',
  'security-hub': 'Security Hub',
  'cis-aws-3.0': 'CIS AWS 3.0',
};

const OWNER_LABELS = { aws: 'AWS (inherited)', shared: 'Shared', customer: 'Customer' } as const;

/** The calendar quarter containing `iso` (the run's start) when the definition says `period: auto`. */
export function quarterOf(iso: string): { from: string; to: string } {
  const d = new Date(iso);
  const year = d.getUTCFullYear();
  const q = Math.floor(d.getUTCMonth() / 3);
  const from = new Date(Date.UTC(year, q * 3, 1));
  const to = new Date(Date.UTC(year, q * 3 + 3, 0));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

function counts(statuses: Record<Status, number>): StatusCount[] {
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return STATUSES.filter((s) => statuses[s] > 0).map((status) => ({ status, count: statuses[status], share: total ? statuses[status] / total : 0 }));
}

function fileView(file: ManifestFile): EvidenceFileView {
  const match = /^evidence\/([^/]+)\/([^/]+)\/(.+)\.json$/.exec(file.path);
  return {
    path: file.path,
    sha256: file.sha256,
    bytes: file.bytes,
    ...(file.collectedAt ? { collectedAt: file.collectedAt } : {}),
    ...(match ? { account: match[1], region: match[2], collector: match[3] } : {}),
  };
}

function selected(definition: ReportDefinition, id: string): boolean {
  return definition.controls.include.some((p) => idMatches(p, id)) && !definition.controls.exclude.some((p) => idMatches(p, id));
}

/** `selected`, and (with `controls.mappedTo`) mapped to at least one of those frameworks. */
function selectedControl(definition: ReportDefinition, c: Pick<ControlResult, 'id' | 'mappings'>): boolean {
  const mappedTo = definition.controls.mappedTo;
  return selected(definition, c.id) && (!mappedTo || mappedTo.some((f) => (c.mappings[f as keyof ControlResult['mappings']] ?? []).length > 0));
}

/** Automated if any automated control covers it; else manual only, inherited only, or not covered. */
export function automationOf(kinds: readonly string[]): WaAutomation {
  if (kinds.includes('automated')) return 'automated';
  if (kinds.includes('manual')) return 'manual-only';
  if (kinds.includes('inherited')) return 'inherited-only';
  return 'not-covered';
}

/** A pack's Well-Architected coverage, kept for the next report to compare with (`report --previous`). */
export function waCoverageBaseline(results: ResultsDocument): WaCoverageBaseline {
  const byId = new Map(results.controls.map((c) => [c.id, c] as const));
  return {
    runId: results.run.id,
    startedAt: results.run.startedAt,
    bestPractices: results.summary.wellArchitected.questions.flatMap((q) =>
      q.bestPractices.map((bp) => ({
        id: bp.id,
        controls: bp.controls.flatMap((id) => {
          const c = byId.get(id);
          return c ? [{ id, kind: c.kind, frameworks: Object.keys(c.mappings).filter((k) => (c.mappings[k as keyof ControlResult['mappings']] ?? []).length > 0) }] : [];
        }),
      })),
    ),
  };
}

/**
 * The matrix's automation view: each best practice's automation kind and, with a baseline (the previous pack),
 * what it was then. The baseline is limited to the same control selection, and a best practice renumbered since is
 * found under its former ids.
 */
function withAutomation(version: string, questions: WaQuestionView[], definition: ReportDefinition, baseline: WaCoverageBaseline | undefined): WellArchitectedView {
  const before = new Map(
    (baseline?.bestPractices ?? []).map((bp) => [bp.id, automationOf(bp.controls.filter((c) => selectedControl(definition, { id: c.id, mappings: Object.fromEntries(c.frameworks.map((f) => [f, [f]])) })).map((c) => c.kind))] as const),
  );
  const automation: Record<WaAutomation, number> = { automated: 0, 'manual-only': 0, 'inherited-only': 0, 'not-covered': 0 };
  const newlyAutomated: WellArchitectedView['questions'][number]['bestPractices'] = [];
  const noLongerAutomated: typeof newlyAutomated = [];
  const out = questions.map((q) => ({
    ...q,
    bestPractices: q.bestPractices.map((bp) => {
      const now = automationOf(bp.coverage);
      automation[now]++;
      if (!baseline) return { ...bp, automation: now };
      const then = [bp.id, ...(bp.formerIds ?? [])].map((id) => before.get(id)).find((a) => a !== undefined) ?? 'not-covered';
      const moved = { ...bp, automation: now, previous: { automation: then, newlyAutomated: now === 'automated' && then !== 'automated' } };
      if (moved.previous.newlyAutomated) newlyAutomated.push(moved);
      else if (then === 'automated' && now !== 'automated') noLongerAutomated.push(moved);
      return moved;
    }),
  }));
  const moved = (list: typeof newlyAutomated) => list.map((bp) => ({ id: bp.id, title: bp.title, before: bp.previous!.automation, after: bp.automation! }));
  return {
    version,
    questions: out,
    automation,
    ...(baseline ? { baseline: { runId: baseline.runId, startedAt: baseline.startedAt, newlyAutomated: moved(newlyAutomated), noLongerAutomated: moved(noLongerAutomated) } } : {}),
  };
}

/** Distinct evidence files (in the manifest) that any of the control's results used. */
function evidenceFileCount(c: ControlResult, byHash: Map<string, ManifestFile>): number {
  const seen = new Set<string>();
  for (const r of c.results) for (const digest of r.evidence) seen.add(digest.replace(/^sha256:/, ''));
  let n = 0;
  for (const hex of seen) if (byHash.has(hex)) n++;
  return n;
}

/** `limit` undefined: every result in results.json order (the CSV); else the capped, worst-first rows. */
function controlView(c: ControlResult, byHash: Map<string, ManifestFile>, frameworks: string[], limit: number | undefined): ControlView {
  const evidenceFiles: EvidenceFileView[] = [];
  const position = new Map<string, number>();
  const indexOf = (digest: string): number | undefined => {
    const hex = digest.replace(/^sha256:/, '');
    let i = position.get(hex);
    if (i === undefined) {
      const file = byHash.get(hex);
      if (!file) return undefined;
      i = evidenceFiles.push(fileView(file)) - 1;
      position.set(hex, i);
    }
    return i;
  };
  const { shown, omitted } = capResults(c.results, limit);
  // The capped view is for reading: AWS strings are cut to a bounded length. The CSV (uncapped) keeps every byte.
  const text = limit === undefined ? (s: string): string => s : displayText;
  const results = shown.map((r) => ({
    resourceId: text(r.resourceId),
    resourceType: text(r.resourceType),
    account: text(r.account),
    region: text(r.region),
    status: r.status,
    message: text(r.message),
    evidence: r.evidence.map(indexOf).filter((i): i is number => i !== undefined),
  }));
  const provenance = evidenceProvenanceView(c);
  const totalEvidenceFiles = omitted > 0 ? evidenceFileCount(c, byHash) : evidenceFiles.length;
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    ...(c.rationale ? { rationale: c.rationale } : {}),
    severity: c.severity,
    kind: c.kind,
    responsibility: c.responsibility,
    status: c.status,
    mappings: frameworks
      .map((f) => ({ framework: f, label: FRAMEWORK_LABELS[f] ?? f, ids: c.mappings[f as keyof ControlResult['mappings']] ?? [] }))
      .filter((m) => m.ids.length > 0),
    params: Object.entries(c.params)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) })),
    remediation: c.remediation,
    ...(c.inherited ? { inherited: c.inherited } : {}),
    counts: c.counts,
    results,
    ...(omitted > 0 ? { omittedResults: omitted } : {}),
    evidenceFiles,
    ...(totalEvidenceFiles > evidenceFiles.length ? { totalEvidenceFiles } : {}),
    ...(provenance ? { evidenceProvenance: provenance } : {}),
  };
}

function summaryView(results: ResultsDocument, controls: ControlResult[]): SummaryView {
  const controlCounts = Object.fromEntries(STATUSES.map((s) => [s, controls.filter((c) => c.status === s).length])) as Record<Status, number>;
  const resultCounts = Object.fromEntries(STATUSES.map((s) => [s, controls.reduce((n, c) => n + c.counts[s], 0)])) as Record<Status, number>;
  const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  const topRisks = controls
    .filter((c) => c.status === 'FAIL' || c.status === 'ERROR')
    .map((c) => ({ id: c.id, title: c.title, severity: c.severity, status: c.status, failing: c.counts.FAIL + c.counts.ERROR, total: c.results.length }))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || b.failing - a.failing || a.id.localeCompare(b.id))
    .slice(0, 10);
  return {
    score: results.summary.score,
    controlCounts: counts(controlCounts),
    resultCounts: counts(resultCounts),
    totalControls: controls.length,
    totalResults: controls.reduce((n, c) => n + c.results.length, 0),
    bySeverity: SEVERITIES.map((severity) => ({
      severity,
      counts: results.summary.bySeverity[severity].byStatus,
      score: results.summary.bySeverity[severity].score,
      failing: controls.filter((c) => c.severity === severity && (c.status === 'FAIL' || c.status === 'ERROR')).length,
    })),
    topRisks,
  };
}

/** The refused scopes that matter to the report's controls: those whose collector runs a selected control needed. */
function refusalViews(results: ResultsDocument, controls: ControlResult[]): RefusalView[] {
  return (results.summary.refusals ?? []).flatMap((r) => {
    const needed = controls.filter((c) => c.evidence.some((id) => r.collectors.includes(id))).map((c) => c.id);
    if (needed.length === 0) return [];
    return [{ ...r, causeText: REFUSAL_CAUSE_TEXT[r.cause] ?? r.cause, controls: needed }];
  });
}

function register(controls: ControlResult[], kind: 'manual' | 'inherited'): RegisterEntry[] {
  return controls
    .filter((c) => c.kind === kind)
    .map((c) => ({
      id: c.id,
      title: c.title,
      kind: c.kind,
      status: c.status,
      mappings: [...(c.mappings['well-architected'] ?? []), ...(c.mappings['shared-responsibility'] ?? [])],
      // An attested control carries the attestation (who, when, document hash) as its result message.
      evidence:
        c.results[0]?.message ??
        (kind === 'inherited'
          ? `${c.inherited?.source ?? 'AWS Artifact'}: ${(c.inherited?.reports ?? []).map((r) => r.name + (r.period ? ` (${r.period})` : '')).join('; ')}`
          : 'awaiting attestation (auditpack attest)'),
    }));
}

export function verificationSteps(): VerificationStep[] {
  return [
    { title: 'Re-hash every file and check both signatures with auditpack', command: 'auditpack verify <pack> --public-key manifest-signing.pub.pem' },
    { title: 'Check the manifest signature with OpenSSL (Ed25519 key)', command: 'openssl pkeyutl -verify -pubin -inkey manifest-signing.pub.pem -rawin -in manifest.json -sigfile manifest.sig' },
    { title: 'Check the manifest signature with OpenSSL (AWS KMS ECDSA P-256 key)', command: 'openssl dgst -sha256 -verify kms-public-key.pem -signature manifest.sig manifest.json' },
    { title: 'Re-hash every listed file against the manifest', command: "jq -r '.files[] | \"\\(.sha256)  \\(.path)\"' manifest.json | sha256sum -c -" },
    { title: 'Check the PDF report\u2019s embedded signature with poppler', command: 'pdfsig report.pdf' },
  ];
}

/** The diff limited to the controls the definition selects, like every other section. */
function selectedChanges(changes: ChangesView, definition: ReportDefinition, isSelected: (id: string) => boolean): ChangesView {
  const diff = changes.diff;
  if (!diff) return changes;
  const lists = Object.fromEntries(RESULT_CATEGORIES.map((k) => [k, diff[k].filter((c) => isSelected(c.control))])) as Record<ResultCategory, ResultChange[]>;
  return {
    ...changes,
    diff: {
      ...diff,
      ...lists,
      controlsAdded: diff.controlsAdded.filter((c) => isSelected(c.id)),
      controlsRemoved: diff.controlsRemoved.filter((c) => isSelected(c.id)),
    },
  };
}

/**
 * The report view model, from results.json and manifest.json only (nothing else is read); `changes` (the diff
 * against a previous pack and the score trend) is computed by the caller from the other packs.
 */
export function buildReportView(
  results: ResultsDocument,
  manifest: Manifest,
  manifestSha256: string,
  definition: ReportDefinition,
  changes?: ChangesView,
  options: { frameworkReference?: FrameworkReference; allResults?: boolean } = {},
): ReportView {
  const limits = reportLimits(definition);
  // The CSV lists every result (allResults); the HTML and PDF list a capped view and say what they left out.
  const resultLimit = options.allResults ? undefined : limits.resultsPerControl;
  const byHash = new Map(manifest.files.map((f) => [f.sha256, f]));
  const controls = results.controls.filter((c) => selectedControl(definition, c));
  const chosen = new Set(controls.map((c) => c.id));
  // A control only the previous run has: chosen by its id patterns (its mappings are not in this run's results).
  const inResults = new Set(results.controls.map((c) => c.id));
  const status = new Map(controls.map((c) => [c.id, c] as const));
  const owners = (['customer', 'shared', 'aws'] as const).map((owner) => ({
    owner,
    label: OWNER_LABELS[owner],
    items: results.summary.sharedResponsibility.items
      .filter((i) => i.owner === owner)
      .map((i) => {
        const covering = i.controls.filter((id) => chosen.has(id)).map((id) => ({ id, kind: status.get(id)!.kind, status: status.get(id)!.status }));
        return { id: i.id, title: i.title, status: covering.length ? worstStatus(covering.map((c) => c.status)) : ('NOT_COVERED' as const), coveredBy: covering };
      }),
  }));
  const files = manifest.files.slice(0, limits.appendixFiles).map(fileView);
  const refusals = refusalViews(results, controls);
  // One account says nothing the summary does not: the section is left out (and out of the contents).
  const perAccount = definition.sections.includes('accounts') ? accountsView(results.run.accounts, controls, limits.accounts) : undefined;
  const sections = perAccount && perAccount.total > 1 ? definition.sections : definition.sections.filter((s) => s !== 'accounts');
  return {
    meta: {
      title: definition.title,
      organisation: definition.organisation,
      period: definition.period === 'auto' ? quarterOf(results.run.startedAt) : definition.period,
      runId: results.run.id,
      startedAt: results.run.startedAt,
      finishedAt: results.run.finishedAt,
      accounts: results.run.accounts,
      regions: results.run.regions,
      toolName: results.run.tool.name,
      toolVersion: results.run.tool.version,
      catalogDigest: results.run.catalog.digest,
      frameworkVersions: results.run.catalog.frameworks,
      manifestSha256,
      definitionId: definition.id,
      frameworks: definition.frameworks,
    },
    sections,
    limits,
    summary: summaryView(results, controls),
    ...(perAccount && sections.includes('accounts') ? { accounts: perAccount } : {}),
    ...(refusals.length ? { refusals: refusals.slice(0, limits.accounts) } : {}),
    ...(refusals.length > limits.accounts ? { refusalsTotal: refusals.length } : {}),
    wellArchitected: withAutomation(
      results.summary.wellArchitected.version,
      results.summary.wellArchitected.questions.map((q) => {
        const bestPractices = q.bestPractices.map((bp) => {
          const ids = bp.controls.filter((id) => chosen.has(id));
          const coverage = bp.coverage.filter((k) => ids.some((id) => status.get(id)!.kind === k));
          return { id: bp.id, title: bp.title, status: ids.length ? worstStatus(ids.map((id) => status.get(id)!.status)) : ('NOT_COVERED' as const), coverage, controls: ids, formerIds: bp.formerIds ?? [] };
        });
        const covered = bestPractices.filter((bp) => bp.status !== 'NOT_COVERED');
        const worst = (['ERROR', 'FAIL', 'MANUAL', 'PASS', 'INHERITED', 'NOT_APPLICABLE'] as const).find((s) => covered.some((bp) => bp.status === s));
        return { id: q.id, title: q.title, status: worst ?? 'NOT_COVERED', score: q.score, bestPractices };
      }),
      definition,
      changes?.previousWellArchitected,
    ),
    ...(definition.sections.includes('framework-index') && definition.framework
      ? {
          frameworkIndex: frameworkIndexView(
            options.frameworkReference ?? loadFrameworkReference(definition.framework),
            controls,
            results.run.catalog.frameworks[definition.framework],
          ),
        }
      : {}),
    sharedResponsibility: { version: results.summary.sharedResponsibility.version, owners },
    controls: controls.map((c) => controlView(c, byHash, definition.frameworks, resultLimit)),
    register: { manual: register(controls, 'manual'), inherited: register(controls, 'inherited') },
    workflow: {
      waivers: (results.summary.waivers ?? []).filter((w) => chosen.has(w.control)),
      attestations: (results.summary.attestations ?? []).filter((a) => chosen.has(a.control)),
    },
    appendix: { files, totalFiles: manifest.files.length, totalBytes: manifest.files.reduce((n, f) => n + f.bytes, 0), verification: verificationSteps() },
    ...(changes ? { changes: selectedChanges(changes, definition, (id) => chosen.has(id) || (!inResults.has(id) && selected(definition, id))) } : {}),
  };
}
