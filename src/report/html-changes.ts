import Handlebars from 'handlebars';
import { CATEGORY_TEXT, RESULT_CATEGORIES, type ControlChange, type HistoryPoint, type PackDiff, type ResultCategory, type ResultChange } from '../diff/types.js';
import { renderScoreTrend, trendPoints } from './svg-chart.js';
import type { ReportView } from './view-model.js';

/** What templates/partials/changes.hbs reads: the view's changes, with titles, links and the trend chart. */
export interface ChangesContext {
  diff?: PackDiff;
  scoreDelta: string;
  categories: { key: ResultCategory; title: string; definition: string; items: (ResultChange & { linked: boolean })[] }[];
  controlRows: (ControlChange & { change: string })[];
  trend: (HistoryPoint & { failing: number })[];
  /** Our own SVG (every text in it escaped), so it is inserted unescaped. */
  trendChart?: Handlebars.SafeString;
}

function signed(delta: number | null): string {
  if (delta === null) return 'n/a';
  return `${delta > 0 ? '+' : delta < 0 ? '\u2212' : '\u00b1'}${Math.abs(delta).toFixed(1)}`;
}

export function changesContext(view: ReportView): ChangesContext | undefined {
  const changes = view.changes;
  if (!changes) return undefined;
  // Link to a control's detail only where the report has that detail.
  const detailed = new Set(view.sections.includes('controls') ? view.controls.map((c) => c.id) : []);
  const diff = changes.diff;
  return {
    ...(diff ? { diff } : {}),
    scoreDelta: signed(diff?.score.delta ?? null),
    categories: diff
      ? RESULT_CATEGORIES.map((key) => ({ key, ...CATEGORY_TEXT[key], items: diff[key].map((item) => ({ ...item, linked: detailed.has(item.control) })) }))
      : [],
    controlRows: diff ? [...diff.controlsAdded.map((c) => ({ ...c, change: 'added' })), ...diff.controlsRemoved.map((c) => ({ ...c, change: 'removed' }))] : [],
    trend: changes.trend.map((p) => ({ ...p, failing: p.byStatus.FAIL + p.byStatus.ERROR })),
    ...(changes.trend.length ? { trendChart: new Handlebars.SafeString(renderScoreTrend(trendPoints(changes.trend), 'Security score per run')) } : {}),
  };
}
