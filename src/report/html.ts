import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { SEVERITIES, STATUSES, type Status } from '../core/types.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { COVER_ACCOUNTS, type ReportSection } from './definition.js';
import { changesContext, type ChangesContext } from './html-changes.js';
import { STATUS_LABELS, renderSeverityBars, renderStatusDonut, type ChartStatus } from './svg-chart.js';
import type { ControlView, ReportView, WaQuestionView } from './view-model.js';

/**
 * The HTML report: one self-contained file rendered by Handlebars from templates/. Every value goes through
 * Handlebars' default HTML escaping; the only unescaped inserts are our own CSS, script and SVG (SafeString).
 */

export const TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates');

const SECTION_TITLES: Record<ReportSection, string> = {
  cover: 'Cover',
  summary: 'Executive summary',
  accounts: 'Accounts',
  changes: 'Change since the previous run',
  'well-architected': 'Well-Architected security pillar',
  'shared-responsibility': 'Shared responsibility',
  'framework-index': 'Framework index',
  controls: 'Control detail',
  register: 'Register of manual and inherited items',
  appendix: 'Appendix A: pack files and verification',
};

/** Section → partial file; `controls` wraps the per-control `control` partial with the filter bar. */
const SECTION_PARTIALS: Record<ReportSection, string> = {
  cover: 'cover',
  summary: 'summary',
  accounts: 'accounts',
  changes: 'changes',
  'well-architected': 'well-architected',
  'shared-responsibility': 'shared-responsibility',
  'framework-index': 'framework-index',
  controls: 'controls',
  register: 'register',
  appendix: 'appendix',
};

const COVERAGE_LABELS: Record<string, string> = { automated: 'auto', manual: 'manual', inherited: 'inherited' };
const AUTOMATION_LABELS: Record<string, string> = { automated: 'automated', 'manual-only': 'manual only', 'inherited-only': 'inherited only', 'not-covered': 'not covered' };

interface CompiledReport {
  template: Handlebars.TemplateDelegate<HtmlContext>;
  css: string;
  script: string;
  csp: string;
}

interface ControlContext extends ControlView {
  /** Space-separated framework keys the control maps to (filter data attribute). */
  frameworkKeys: string;
  /** Statuses present in the control or its results (filter data attribute). */
  statusKeys: string;
  /** Results table starts open when it has something to look at and is short. */
  open: boolean;
  countList: { status: Status; count: number }[];
  /** Every result of the control (the listed rows plus those left out). */
  resultTotal: number;
}

interface HtmlContext extends Omit<ReportView, 'controls'> {
  controls: ControlContext[];
  css: Handlebars.SafeString;
  script: Handlebars.SafeString;
  csp: string;
  toc: { id: ReportSection; title: string; partial: string }[];
  charts: { controls: Handlebars.SafeString; results: Handlebars.SafeString; severity: Handlebars.SafeString };
  filters: { statuses: Status[]; severities: string[]; frameworks: { key: string; label: string }[] };
  headline: { failingControls: number; failingCritical: number; failingResults: number; manual: number; inherited: number };
  waColumns: number;
  waQuestions: (WaQuestionView & { pad: number[] })[];
  waCoveredPractices: (WaQuestionView['bestPractices'][number] & { question: string })[];
  /** The cover's account list: the first COVER_ACCOUNTS, and how many more (the accounts section lists them). */
  coverAccounts: { shown: string[]; more: number };
  /** Pack files the appendix leaves out (manifest.json lists them). */
  appendixOmitted: number;
  /** The `changes` section; absent when the view has no changes (the partial then says so). */
  changesView?: ChangesContext;
}

const OPEN_RESULT_LIMIT = 50;

/** Thousands separators, fixed locale so output is the same on every machine (as the PDF's formatCount). */
export function formatCount(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : '';
}

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** `2026-11-23T18:46:37.226Z` → `2026-11-23 18:46:37 UTC`; anything else unchanged (display only). */
export function formatTimestamp(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('statusLabel', (s: unknown) => STATUS_LABELS[s as ChartStatus] ?? String(s));
  hb.registerHelper('fmtScore', (n: unknown) => (typeof n === 'number' ? n.toFixed(1) : 'n/a'));
  hb.registerHelper('percent', (n: unknown) => (typeof n === 'number' ? `${(n * 100).toFixed(1)}%` : ''));
  hb.registerHelper('time', formatTimestamp);
  hb.registerHelper('fileSize', formatBytes);
  hb.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : ''));
  hb.registerHelper('bpShort', (id: unknown) => String(id).replace(/^SEC\d+-/, ''));
  hb.registerHelper('automationLabel', (a: unknown) => AUTOMATION_LABELS[String(a)] ?? '');
  hb.registerHelper('coverageLabel', (kinds: unknown) => (Array.isArray(kinds) ? kinds.map((k) => COVERAGE_LABELS[String(k)] ?? String(k)).join(' + ') : ''));
  hb.registerHelper('inc', (n: unknown) => (typeof n === 'number' ? n + 1 : n));
  hb.registerHelper('num', formatCount);
  // Evidence of one result as references into the control's evidence table: E1, E2 … (short rows for 20k results).
  hb.registerHelper('evidenceRefs', (indexes: unknown) => (Array.isArray(indexes) ? indexes.map((i) => `E${Number(i) + 1}`).join(' ') : ''));
  hb.registerHelper('countOf', (counts: unknown, status: unknown) => (counts as Record<string, number> | undefined)?.[String(status)] ?? 0);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => typeof a === 'number' && typeof b === 'number' && a > b);
  hb.registerHelper('minus', (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a - b : 0));
  hb.registerHelper('entries', (record: unknown) => Object.entries((record ?? {}) as Record<string, unknown>).map(([key, value]) => ({ key, value })));
}

function compileReport(dir: string): CompiledReport {
  const hb = Handlebars.create();
  registerHelpers(hb);
  const partialDir = join(dir, 'partials');
  for (const file of readdirSync(partialDir).filter((f) => f.endsWith('.hbs')).sort()) {
    hb.registerPartial(basename(file, '.hbs'), readFileSync(join(partialDir, file), 'utf8'));
  }
  const css = readFileSync(join(dir, 'assets', 'report.css'), 'utf8');
  const script = readFileSync(join(dir, 'assets', 'report.js'), 'utf8');
  // Defence in depth behind escaping: nothing may load from anywhere, and only our own style/script (by hash) runs.
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(css)}`,
    `script-src ${cspHash(script)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const template = hb.compile<HtmlContext>(readFileSync(join(dir, 'report.html.hbs'), 'utf8'), { preventIndent: true });
  return { template, css, script, csp };
}

const cache = new Map<string, CompiledReport>();

function compiled(dir: string): CompiledReport {
  let report = cache.get(dir);
  if (!report) {
    report = compileReport(dir);
    cache.set(dir, report);
  }
  return report;
}

function controlContext(control: ControlView): ControlContext {
  const present = new Set<Status>([control.status]);
  for (const s of STATUSES) if ((control.counts[s] ?? 0) > 0) present.add(s);
  const failing = (control.counts.FAIL ?? 0) + (control.counts.ERROR ?? 0);
  return {
    ...control,
    frameworkKeys: control.mappings.map((m) => m.framework).join(' '),
    statusKeys: [...present].join(' '),
    open: failing > 0 && control.results.length <= OPEN_RESULT_LIMIT,
    resultTotal: control.results.length + (control.omittedResults ?? 0),
    countList: STATUSES.filter((s) => (control.counts[s] ?? 0) > 0).map((status) => ({ status, count: control.counts[status] })),
  };
}

function frameworkOptions(view: ReportView): { key: string; label: string }[] {
  const labels = new Map<string, string>();
  for (const c of view.controls) for (const m of c.mappings) if (!labels.has(m.framework)) labels.set(m.framework, m.label);
  return view.meta.frameworks.map((key) => ({ key, label: labels.get(key) ?? key }));
}

/** The key numbers the executive summary states in words. */
function headline(summary: ReportView['summary']): HtmlContext['headline'] {
  const of = (counts: { status: Status; count: number }[], ...statuses: Status[]): number => counts.filter((c) => statuses.includes(c.status)).reduce((n, c) => n + c.count, 0);
  return {
    failingControls: of(summary.controlCounts, 'FAIL', 'ERROR'),
    failingCritical: summary.bySeverity.find((s) => s.severity === 'critical')?.failing ?? 0,
    failingResults: of(summary.resultCounts, 'FAIL', 'ERROR'),
    manual: of(summary.controlCounts, 'MANUAL'),
    inherited: of(summary.controlCounts, 'INHERITED'),
  };
}

function context(view: ReportView, report: CompiledReport): HtmlContext {
  const { summary } = view;
  const waMax = Math.max(0, ...view.wellArchitected.questions.map((q) => q.bestPractices.length));
  return {
    ...view,
    controls: view.controls.map(controlContext),
    css: new Handlebars.SafeString(report.css),
    script: new Handlebars.SafeString(report.script),
    csp: report.csp,
    toc: view.sections
      .filter((s) => s !== 'cover')
      .map((id) => ({ id, title: id === 'framework-index' && view.frameworkIndex ? `${view.frameworkIndex.label} index` : SECTION_TITLES[id], partial: SECTION_PARTIALS[id] })),
    charts: {
      controls: new Handlebars.SafeString(renderStatusDonut(summary.controlCounts, { title: 'Controls by status', centreValue: String(summary.totalControls), centreLabel: 'controls' })),
      results: new Handlebars.SafeString(renderStatusDonut(summary.resultCounts, { title: 'Resource results by status', centreValue: String(summary.totalResults), centreLabel: 'resource results' })),
      severity: new Handlebars.SafeString(renderSeverityBars(summary.bySeverity, 'Control status by severity')),
    },
    filters: { statuses: [...STATUSES], severities: [...SEVERITIES], frameworks: frameworkOptions(view) },
    headline: headline(summary),
    waColumns: waMax,
    waQuestions: view.wellArchitected.questions.map((q) => ({ ...q, pad: Array.from({ length: waMax - q.bestPractices.length }, (_, i) => i) })),
    waCoveredPractices: view.wellArchitected.questions.flatMap((q) => q.bestPractices.filter((bp) => bp.status !== 'NOT_COVERED').map((bp) => ({ ...bp, question: q.id }))),
    appendixOmitted: Math.max(0, (view.appendix.totalFiles ?? view.appendix.files.length) - view.appendix.files.length),
    coverAccounts: { shown: view.meta.accounts.slice(0, COVER_ACCOUNTS), more: Math.max(0, view.meta.accounts.length - COVER_ACCOUNTS) },
    ...(view.changes ? { changesView: changesContext(view) } : {}),
  };
}

/** Renders the report; the compiled template is cached per template directory (tests may point at fixtures). */
export function renderHtml(view: ReportView, templateDir: string = TEMPLATE_DIR): string {
  const report = compiled(templateDir);
  return report.template(context(view, report));
}
