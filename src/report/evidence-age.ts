import type { ControlResult } from '../results/types.js';
import type { EvidenceProvenanceView } from './view-model.js';

/**
 * The per-control evidence line both reports show (issue 11: nothing is mixed silently): which sources the results
 * used and how old the oldest evidence was at collection time. Built from results.json only; its values are
 * untrusted, so anything unexpected is shown as unknown, never trusted or dropped.
 */

const SOURCE_LABELS: Record<string, string> = { config: 'AWS Config', api: 'live API' };

/** `3 h 12 min`, `2 d 4 h`, `under 1 min`: whole units, fixed wording (deterministic); undefined when not an age. */
export function formatAge(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) return undefined;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'under 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** `2026-11-23T18:46:37.226Z` → `2026-11-23 18:46:37 UTC`; anything else is not a time we show. */
function displayTime(iso: unknown): string | undefined {
  if (typeof iso !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : undefined;
}

function sourcesText(sources: readonly unknown[]): string {
  if (sources.length === 0) return 'none (no resource judged)';
  const known = (['config', 'api'] as const).filter((s) => sources.includes(s)).map((s) => SOURCE_LABELS[s]);
  const unknown = sources.some((s) => s !== 'config' && s !== 'api');
  return [...known, ...(unknown ? ['unknown'] : [])].join(' + ');
}

function countText(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The view of a control's evidence provenance; undefined for manual and inherited controls. */
export function evidenceProvenanceView(c: ControlResult): EvidenceProvenanceView | undefined {
  if (c.kind !== 'automated') return undefined;
  if (!Array.isArray(c.evidenceSources)) {
    return { sources: [], mixed: false, recorded: false, text: 'Evidence source and age: not recorded in these results (written before auditpack recorded them).' };
  }
  const sources = c.evidenceSources.map(String);
  const parts = [`Evidence source: ${sourcesText(sources)}`];
  const captured = displayTime(c.oldestEvidence);
  const age = formatAge(c.evidenceAgeSeconds);
  if (captured) parts.push(`oldest evidence ${age ? `${age} old` : 'of unknown age'} (captured ${captured})`);
  else if (sources.length > 0) parts.push('oldest evidence: unknown');
  const unreadable = c.unreadableProvenance;
  if (typeof unreadable === 'number' && unreadable > 0) {
    parts.push(`provenance of ${countText(unreadable, 'resource', 'resources')} unreadable: counted as live API, true age unknown`);
  }
  return {
    sources,
    mixed: sources.length > 1,
    recorded: true,
    ...(captured ? { oldest: captured, oldestAt: String(c.oldestEvidence) } : {}),
    ...(age ? { age, ageSeconds: Number(c.evidenceAgeSeconds) } : {}),
    text: `${parts.join(' · ')}.`,
  };
}
