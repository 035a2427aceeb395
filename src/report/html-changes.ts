import Handlebars from 'handlebars';
import { CATEGORY_TEXT, RESULT_CATEGORIES, type ControlChange, type HistoryPoint, type PackDiff, type ResultCategory, type ResultChange } from '../diff/types.js';
import { renderScoreTrend, trendPoints } from './svg-chart.js';
import type { ReportView } from './view-model.js';

/** What templates/partials/changes.hbs reads: the view's changes, with titles, links and the trend chart. */
export interface ChangesContext {
  diff?: PackDiff;
  scoreDelta: string;
  /** `items`: at most HTML_CHANGES_SHOWN of the category; `total` counts them all (`omitted` the rest). */
  categories: { key: ResultCategory; title: string; definition: string; items: (ResultChange & { linked: boolean })[]; total: number; omitted: number }[];
  /** Stale evidence files listed (at most HTML_CHANGES_SHOWN) and how many more there are. */
  staleShown: PackDiff['staleEvidence'];
  staleOmitted: number;
  controlRows: (ControlChange & { change: string })[];
  trend: (HistoryPoint & { failing: number })[];
  /** Our own SVG (every text in it escaped), so it is inserted unescaped. */
  trendChart?: Handlebars.SafeString;
}

/** Changed results listed per category (and stale files): a 1,000-account diff can hold hundreds of thousands. */
export const HTML_CHANGES_SHOWN = 1000;

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
      ? RESULT_CATEGORIES.map((key) => ({
          key,
          ...CATEGORY_TEXT[key],
          items: diff[key].slice(0, HTML_CHANGES_SHOWN).map((item) => ({ ...item, linked: detailed.has(item.control) })),
          total: diff[key].length,
          omitted: Math.max(0, diff[key].length - HTML_CHANGES_SHOWN),
        }))
      : [],
    staleShown: diff ? diff.staleEvidence.slice(0, HTML_CHANGES_SHOWN) : [],
    staleOmitted: diff ? Math.max(0, diff.staleEvidence.length - HTML_CHANGES_SHOWN) : 0,
    controlRows: diff ? [...diff.controlsAdded.map((c) => ({ ...c, change: 'added' })), ...diff.controlsRemoved.map((c) => ({ ...c, change: 'removed' }))] : [],
    trend: changes.trend.map((p) => ({ ...p, failing: p.byStatus.FAIL + p.byStatus.ERROR })),
    ...(changes.trend.length ? { trendChart: new Handlebars.SafeString(renderScoreTrend(trendPoints(changes.trend), 'Security score per run')) } : {}),
  };
}
