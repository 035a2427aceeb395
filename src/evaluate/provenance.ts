import { PROVENANCE, type Resource, type ResourceResult } from '../core/types.js';

/**
 * Where a control's evidence came from and how old the oldest of it was (issue 11: nothing is mixed silently).
 * A resource without provenance was read by live API calls at its evidence record's collectedAt; a resource built
 * from an AWS Config item was captured at provenance.capturedAt, and its liveFields were read live. Everything here
 * is computed from the evidence alone (never the clock), and provenance is untrusted: anything malformed counts as
 * live API, and is counted as unreadable so the reports can say that its true age is unknown.
 */

export const EVIDENCE_SOURCES = ['api', 'config'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

export interface EvidenceProvenance {
  /** The sources the control's results used, sorted; empty when no result used any evidence. */
  sources: EvidenceSource[];
  /** The oldest evidence time used (ISO 8601, UTC); absent when none could be read. */
  oldest?: string;
  /** Collection time (the newest collectedAt of the pack) minus `oldest`, in whole seconds, never negative. */
  ageSeconds?: number;
  /** Judged resources whose provenance could not be read: counted as live API, their true age unknown. */
  unreadable: number;
}

/** Longest time text accepted (the evidence schema's bound for collectedAt). */
const MAX_TIME_CHARS = 40;
/** AWS Config was launched in November 2014: an item captured before then is not a real capture time. */
export const EARLIEST_CAPTURE = Date.parse('2014-11-01T00:00:00Z');
/** Clock skew allowed between AWS's capture time and the collector's clock before a capture counts as future. */
export const CAPTURE_SKEW_MS = 5 * 60_000;

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of a strict ISO 8601 instant (with Z or an offset), or undefined for anything else. */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > MAX_TIME_CHARS) return undefined;
  const m = ISO_INSTANT.exec(value);
  if (!m) return undefined;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.parse rolls 2026-02-30 over to March: the calendar day must exist.
  if (new Date(Date.UTC(Number(m[1]), month - 1, day)).getUTCDate() !== day) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** What one resource's provenance says, after checking it. */
export type ResourceOrigin =
  | { kind: 'live' }
  | { kind: 'config'; capturedAt: number; liveFields: boolean }
  | { kind: 'unreadable' };

/** Reads a resource's provenance; `collectedAt` (ms, when known) is the record's time, after which no capture can be. */
export function resourceOrigin(resource: unknown, collectedAt: number | undefined): ResourceOrigin {
  if (resource === null || typeof resource !== 'object' || !(PROVENANCE in resource)) return { kind: 'live' };
  const p = (resource as Record<string, unknown>)[PROVENANCE];
  if (p === undefined) return { kind: 'live' };
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return { kind: 'unreadable' };
  const { source, capturedAt, liveFields } = p as Record<string, unknown>;
  if (source !== 'config' || !Array.isArray(liveFields) || !liveFields.every((f) => typeof f === 'string')) return { kind: 'unreadable' };
  const at = parseInstant(capturedAt);
  if (at === undefined || at < EARLIEST_CAPTURE) return { kind: 'unreadable' };
  if (collectedAt !== undefined && at > collectedAt + CAPTURE_SKEW_MS) return { kind: 'unreadable' };
  return { kind: 'config', capturedAt: at, liveFields: liveFields.length > 0 };
}

/** One evidence record a scope read: its collection time and its resources. */
export interface ScopeRecord {
  collectedAt: string;
  resources: readonly Resource[];
}

/** The evidence records of one account (and region) of a control, with each resource's record time. */
export class ScopeEvidence {
  private readonly recordTimes: (number | undefined)[];
  private readonly owner = new Map<unknown, number | undefined>();

  constructor(private readonly records: readonly ScopeRecord[]) {
    this.recordTimes = records.map((r) => parseInstant(r.collectedAt));
    records.forEach((record, i) => {
      if (!Array.isArray(record.resources)) return;
      for (const resource of record.resources) if (resource !== null && typeof resource === 'object' && !this.owner.has(resource)) this.owner.set(resource, this.recordTimes[i]);
    });
  }

  /** The record's time of a resource of this scope; `null` when the resource is not one of its records' (derived by the rule). */
  timeOf(resource: unknown): number | undefined | null {
    return this.owner.has(resource) ? this.owner.get(resource) : null;
  }

  /** Every record's collection time (the live reads of the scope). */
  times(): (number | undefined)[] {
    return this.recordTimes;
  }

  /** Every resource of every record, with its record's time. */
  *resources(): Generator<[unknown, number | undefined]> {
    for (const [i, record] of this.records.entries()) if (Array.isArray(record.resources)) for (const resource of record.resources) yield [resource, this.recordTimes[i]];
  }
}

/** Accumulates the sources and the oldest time over a control's results. */
export class ProvenanceTally {
  private readonly sources = new Set<EvidenceSource>();
  private oldest: number | undefined;
  private unreadable = 0;

  private time(ms: number | undefined): void {
    if (ms !== undefined && (this.oldest === undefined || ms < this.oldest)) this.oldest = ms;
  }

  /** A live read at `collectedAt` (a record, or a resource without provenance). */
  live(collectedAt: number | undefined): void {
    this.sources.add('api');
    this.time(collectedAt);
  }

  /** One judged resource of a record collected at `collectedAt`. */
  resource(resource: unknown, collectedAt: number | undefined): void {
    const origin = resourceOrigin(resource, collectedAt);
    if (origin.kind === 'config') {
      this.sources.add('config');
      this.time(origin.capturedAt);
      if (origin.liveFields) this.live(collectedAt);
      return;
    }
    if (origin.kind === 'unreadable') this.unreadable++;
    this.live(collectedAt);
  }

  /** Results of one scope: `origins` maps each result the judge made for a resource to that resource. */
  results(results: readonly ResourceResult[], origins: ReadonlyMap<ResourceResult, unknown>, scope: ScopeEvidence): void {
    let whole = false;
    for (const result of results) {
      if (!origins.has(result)) {
        // A result for the scope itself (ERROR before any resource was judged): it rests on the records.
        for (const t of scope.times()) this.live(t);
        continue;
      }
      const resource = origins.get(result);
      const time = scope.timeOf(resource);
      if (time !== null) this.resource(resource, time);
      else whole = true;
    }
    // A resource the rule built itself may rest on anything in the scope: count all of it, never nothing.
    if (whole) {
      for (const t of scope.times()) this.live(t);
      for (const [resource, t] of scope.resources()) this.resource(resource, t);
    }
  }

  /** The summary, with the age measured from `collectionTime` (ms; the pack's newest collectedAt). */
  summary(collectionTime: number | undefined): EvidenceProvenance {
    const sources = EVIDENCE_SOURCES.filter((s) => this.sources.has(s));
    if (this.oldest === undefined) return { sources, unreadable: this.unreadable };
    const ageSeconds = collectionTime === undefined ? undefined : Math.max(0, Math.floor((collectionTime - this.oldest) / 1000));
    return { sources, oldest: new Date(this.oldest).toISOString(), ...(ageSeconds === undefined ? {} : { ageSeconds }), unreadable: this.unreadable };
  }
}

/** The pack's collection time ("now" of the run): the newest readable collectedAt of its records. */
export function collectionTime(records: Iterable<{ collectedAt: string }>): number | undefined {
  let newest: number | undefined;
  for (const r of records) {
    const t = parseInstant(r.collectedAt);
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}
