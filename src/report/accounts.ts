import { SEVERITIES, type Severity, type Status } from '../core/types.js';
import { worstStatus } from '../evaluate/judge.js';
import type { ControlResult } from '../results/types.js';
import { emptyCounts, weightedScore, type StatusCounts } from '../score/score.js';
import type { AccountRowView, AccountsView } from './view-model.js';

/** Failing controls named per account row; the rest are counted. */
export const WORST_CONTROLS_SHOWN = 3;

interface Tally {
  counts: StatusCounts;
  /** Each automated control's status in this account (its worst result there), for the score. */
  controls: { id: string; severity: Severity; status: Status; failing: number }[];
}

const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Worst score first (an account with nothing scored last), then account id in code-unit order. */
export function compareAccountRows(a: Pick<AccountRowView, 'account' | 'score'>, b: Pick<AccountRowView, 'account' | 'score'>): number {
  const sa = a.score ?? Number.POSITIVE_INFINITY;
  const sb = b.score ?? Number.POSITIVE_INFINITY;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.account < b.account ? -1 : a.account > b.account ? 1 : 0;
}

function tallyOf(tallies: Map<string, Tally>, account: string): Tally {
  let t = tallies.get(account);
  if (!t) {
    t = { counts: emptyCounts(), controls: [] };
    tallies.set(account, t);
  }
  return t;
}

/**
 * The per-account summary: for every account in the run (and any other account a result names), the results by
 * status over all of the report's automated controls, the score of the controls as judged in that account (each
 * control's worst result there, scored with src/score like the whole run), and its worst failing controls. Manual
 * and inherited controls are organisation-wide and not counted per account. Rows are sorted worst score first and
 * capped at `limit`; `omitted` says how many accounts were left out (results.csv has them all).
 */
export function accountsView(accounts: readonly string[], controls: readonly ControlResult[], limit: number): AccountsView {
  const tallies = new Map<string, Tally>();
  for (const account of accounts) tallyOf(tallies, account);
  for (const control of controls) {
    if (control.kind !== 'automated') continue;
    const here = new Map<string, { status: Status; failing: number }>();
    for (const r of control.results) {
      tallyOf(tallies, r.account).counts[r.status]++;
      const seen = here.get(r.account);
      const failing = r.status === 'FAIL' || r.status === 'ERROR' ? 1 : 0;
      if (seen) {
        seen.status = worstStatus([seen.status, r.status]);
        seen.failing += failing;
      } else here.set(r.account, { status: r.status, failing });
    }
    for (const [account, { status, failing }] of here) tallyOf(tallies, account).controls.push({ id: control.id, severity: control.severity, status, failing });
  }
  const rows: AccountRowView[] = [...tallies].map(([account, t]) => {
    const failingControls = t.controls
      .filter((c) => c.status === 'FAIL' || c.status === 'ERROR')
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.failing - a.failing || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      account,
      counts: t.counts,
      results: Object.values(t.counts).reduce((n, c) => n + c, 0),
      score: weightedScore(t.controls),
      controls: t.controls.length,
      failingControls: failingControls.length,
      worst: failingControls.slice(0, WORST_CONTROLS_SHOWN).map(({ id, severity, status, failing }) => ({ id, severity, status, failing })),
    };
  });
  rows.sort(compareAccountRows);
  const shown = rows.slice(0, Math.max(1, limit));
  return { rows: shown, total: rows.length, omitted: rows.length - shown.length };
}
