import { describe, expect, it } from 'vitest';
import type { CompiledRule, LoadedControl } from '../../../src/catalog/load.js';
import type { ControlDefinition, EvidenceRecord, Resource } from '../../../src/core/types.js';
import { evaluateControl } from '../../../src/evaluate/evaluate.js';
import { EvidenceIndex } from '../../../src/evaluate/evidence-index.js';
import { ProvenanceTally, ScopeEvidence, collectionTime, parseInstant, resourceOrigin } from '../../../src/evaluate/provenance.js';
import { compileExpression } from '../../../src/rules/cel.js';

const ACCOUNT = '111111111111';
const COLLECTED = '2026-11-23T18:46:33.000Z';
const COLLECTED_MS = Date.parse(COLLECTED);

function configured(capturedAt: unknown, liveFields: unknown = [], extra: Record<string, unknown> = {}): Resource {
  return { id: `arn:aws:x:::${JSON.stringify(capturedAt) ?? "undefined"}`, type: 'AWS::X::Thing', provenance: { source: 'config', capturedAt, configurationStateId: '1', liveFields, ...extra } } as Resource;
}

describe('parseInstant', () => {
  it('reads strict ISO 8601 instants, with Z or an offset', () => {
    expect(parseInstant('2026-11-23T18:46:33Z')).toBe(Date.parse('2026-11-23T18:46:33Z'));
    expect(parseInstant('2026-11-23T18:46:33.123456Z')).toBe(Date.parse('2026-11-23T18:46:33.123Z'));
    expect(parseInstant('2026-11-23T20:46:33+02:00')).toBe(Date.parse('2026-11-23T18:46:33Z'));
  });

  it('refuses anything else, never throwing', () => {
    const hostile: unknown[] = [
      undefined,
      null,
      1_700_000_000_000,
      {},
      [],
      '',
      'yesterday',
      '2026-11-23',
      '2026-11-23 18:46:33Z',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-23T25:00:00Z',
      '+275760-09-13T00:00:00Z',
      `2026-11-23T18:46:33Z${' '.repeat(40)}`,
      `2026-11-23T18:46:33.${'1'.repeat(40)}Z`,
      '２０２６-11-23T18:46:33Z',
    ];
    for (const value of hostile) expect({ value, ms: parseInstant(value) }).toEqual({ value, ms: undefined });
  });
});

describe('resourceOrigin', () => {
  it('is live without provenance, config with a well-formed one', () => {
    expect(resourceOrigin({ id: 'a' }, COLLECTED_MS)).toEqual({ kind: 'live' });
    expect(resourceOrigin(configured('2026-11-23T15:34:00Z'), COLLECTED_MS)).toEqual({ kind: 'config', capturedAt: Date.parse('2026-11-23T15:34:00Z'), liveFields: false });
    expect(resourceOrigin(configured('2026-11-23T15:34:00Z', ['Tags']), COLLECTED_MS)).toMatchObject({ kind: 'config', liveFields: true });
    expect(resourceOrigin(configured('2026-11-23T15:34:00Z', [], { aggregator: 'org' }), COLLECTED_MS)).toMatchObject({ kind: 'config' });
  });

  it('accepts a capture a little after collection (clock skew), not one from the future', () => {
    expect(resourceOrigin(configured('2026-11-23T18:50:00Z'), COLLECTED_MS).kind).toBe('config');
    expect(resourceOrigin(configured('2026-11-23T19:46:33Z'), COLLECTED_MS).kind).toBe('unreadable');
    expect(resourceOrigin(configured('2999-01-01T00:00:00Z'), undefined).kind).toBe('config');
  });

  it('treats malformed provenance as unreadable, never crashing', () => {
    const hostile: unknown[] = [
      { id: 'a', provenance: null },
      { id: 'a', provenance: 'config' },
      { id: 'a', provenance: [] },
      { id: 'a', provenance: 42 },
      { id: 'a', provenance: { source: 'api', capturedAt: '2026-11-23T15:34:00Z', liveFields: [] } },
      { id: 'a', provenance: { source: 'config', liveFields: [] } },
      configured(1_700_000_000_000),
      configured({ toString: 'x' }),
      configured(['2026-11-23T15:34:00Z']),
      configured('last Tuesday'),
      configured('1970-01-01T00:00:00Z'),
      configured('2014-10-31T23:59:59Z'),
      configured('2026-11-23T15:34:00Z', 'Tags'),
      configured('2026-11-23T15:34:00Z', [1, 2]),
      configured('2026-11-23T15:34:00Z', null),
    ];
    for (const resource of hostile) expect(resourceOrigin(resource, COLLECTED_MS)).toEqual({ kind: 'unreadable' });
  });

  it('reads non-objects as live (the judge reports those itself)', () => {
    for (const value of [null, undefined, 'x', 3]) expect(resourceOrigin(value, COLLECTED_MS)).toEqual({ kind: 'live' });
  });
});

describe('ProvenanceTally', () => {
  it('summarises sources, the oldest time and its age from the collection time', () => {
    const tally = new ProvenanceTally();
    tally.resource({ id: 'live' }, COLLECTED_MS);
    tally.resource(configured('2026-11-23T15:34:00.000Z'), COLLECTED_MS);
    expect(tally.summary(COLLECTED_MS)).toEqual({ sources: ['api', 'config'], oldest: '2026-11-23T15:34:00.000Z', ageSeconds: 3 * 3600 + 12 * 60 + 33, unreadable: 0 });
  });

  it('counts a config resource with live fields as both sources', () => {
    const tally = new ProvenanceTally();
    tally.resource(configured('2026-11-23T15:34:00Z', ['Tags']), COLLECTED_MS);
    expect(tally.summary(COLLECTED_MS).sources).toEqual(['api', 'config']);
  });

  it('counts unreadable provenance as live, at the record time, and says how many', () => {
    const tally = new ProvenanceTally();
    tally.resource(configured('garbage'), COLLECTED_MS);
    tally.resource(configured(12), COLLECTED_MS);
    expect(tally.summary(COLLECTED_MS)).toEqual({ sources: ['api'], oldest: COLLECTED, ageSeconds: 0, unreadable: 2 });
  });

  it('has no oldest when nothing was used, and no age without a collection time; never a negative age', () => {
    expect(new ProvenanceTally().summary(COLLECTED_MS)).toEqual({ sources: [], unreadable: 0 });
    const tally = new ProvenanceTally();
    tally.live(COLLECTED_MS);
    expect(tally.summary(undefined)).toEqual({ sources: ['api'], oldest: COLLECTED, unreadable: 0 });
    tally.resource(configured('2026-11-23T18:50:00Z'), COLLECTED_MS);
    expect(tally.summary(COLLECTED_MS - 60_000).ageSeconds).toBe(0);
  });

  it('counts the whole scope for a resource the rule built itself, and the records for a scope result', () => {
    const old = configured('2025-01-01T00:00:00Z');
    const scope = new ScopeEvidence([{ collectedAt: COLLECTED, resources: [old, { id: 'b', type: 'AWS::X::Thing' }] }]);
    const built = { status: 'PASS' } as never;
    const scopeResult = { status: 'ERROR' } as never;
    const tally = new ProvenanceTally();
    tally.results([built, scopeResult], new Map([[built, { id: 'derived' }]]), scope);
    expect(tally.summary(COLLECTED_MS)).toMatchObject({ sources: ['api', 'config'], oldest: '2025-01-01T00:00:00.000Z' });
  });

  it('takes the collection time from the newest readable collectedAt', () => {
    expect(collectionTime([{ collectedAt: COLLECTED }, { collectedAt: '2026-11-23T19:00:00Z' }, { collectedAt: 'junk' }])).toBe(Date.parse('2026-11-23T19:00:00Z'));
    expect(collectionTime([])).toBeUndefined();
  });
});

describe('evaluateControl: evidence provenance', () => {
  const definition = (evidence: string[]): ControlDefinition => ({
    id: 'x-thing',
    title: 'Things',
    description: 'Things are fine.',
    severity: 'high',
    kind: 'automated',
    responsibility: 'customer',
    mappings: {},
    evidence,
    resourceType: 'AWS::X::Thing',
    params: {},
    remediation: { text: 'Fix.' },
    tests: [],
    source: 'controls/x/thing.yaml',
  });
  const rule = (extra: Partial<CompiledRule> = {}): CompiledRule => ({ checks: [{ require: compileExpression('r.ok == true'), message: compileExpression('"bad"'), continue: false }], ...extra });

  function record(collector: string, collectedAt: string, resources: Resource[], status: 'ok' | 'error' = 'ok'): EvidenceRecord {
    return {
      schemaVersion: '1',
      collector: { id: collector, version: '1' },
      account: ACCOUNT,
      region: 'global',
      collectedAt,
      status,
      ...(status === 'error' ? { error: { code: 'AccessDenied', message: 'denied' } } : {}),
      calls: [],
      resources,
      raw: {},
    };
  }

  function run(records: EvidenceRecord[], control: LoadedControl): ReturnType<typeof evaluateControl> {
    const index = new EvidenceIndex();
    for (const [i, r] of records.entries()) index.add({ record: r, path: `evidence/${ACCOUNT}/global/${r.collector.id}.json`, sha256: String(i).padStart(64, '0') });
    const scopes = new Map(records.map((r) => [r.collector.id, 'account' as const]));
    return evaluateControl(control, index, { accounts: [ACCOUNT], regions: ['us-east-1'] }, scopes);
  }

  // A later collector run sets the pack's collection time: ages are measured from it.
  const later = record('y.other', '2026-11-23T19:00:00.000Z', []);

  it('a live-only control: api, oldest = its record collectedAt', () => {
    const outcome = run([record('x.things', COLLECTED, [{ id: 'a', type: 'AWS::X::Thing', ok: true }]), later], { definition: definition(['x.things']), rule: rule() });
    expect(outcome.provenance).toEqual({ sources: ['api'], oldest: COLLECTED, ageSeconds: 13 * 60 + 27, unreadable: 0 });
  });

  it('a mixed control: config items and live resources, oldest = the oldest capture', () => {
    const things = [configured('2026-11-23T15:34:00.000Z'), configured('2026-11-23T17:00:00Z', ['Tags']), { id: 'live', type: 'AWS::X::Thing' }].map((r) => ({ ...r, ok: true }));
    const outcome = run([record('x.things', COLLECTED, things), later], { definition: definition(['x.things']), rule: rule() });
    expect(outcome.results.map((r) => r.status)).toEqual(['PASS', 'PASS', 'PASS']);
    expect(outcome.provenance).toEqual({ sources: ['api', 'config'], oldest: '2026-11-23T15:34:00.000Z', ageSeconds: 3 * 3600 + 26 * 60, unreadable: 0 });
  });

  it('only the resources judged count: out of scope (applies false) do not', () => {
    const things = [{ ...configured('2025-06-01T00:00:00Z'), skip: true }, { id: 'live', type: 'AWS::X::Thing', ok: true }];
    const outcome = run([record('x.things', COLLECTED, things)], { definition: definition(['x.things']), rule: rule({ applies: compileExpression('!has(r.skip)') }) });
    expect(outcome.provenance).toEqual({ sources: ['api'], oldest: COLLECTED, ageSeconds: 0, unreadable: 0 });
  });

  it('a scope in ERROR counts the records it rested on', () => {
    const outcome = run(
      [record('x.things', '2026-11-23T10:00:00.000Z', [], 'error'), record('x.more', COLLECTED, [configured('2026-11-23T15:34:00Z')])],
      { definition: definition(['x.things', 'x.more']), rule: rule() },
    );
    expect(outcome.results.map((r) => r.status)).toEqual(['ERROR']);
    expect(outcome.provenance).toMatchObject({ sources: ['api'], oldest: '2026-11-23T10:00:00.000Z', ageSeconds: 8 * 3600 + 46 * 60 + 33 });
  });

  it('hostile provenance is counted as live and as unreadable, and judging goes on', () => {
    const things = [configured(12), configured('2999-01-01T00:00:00Z'), configured('not a date'), { id: 'p', type: 'AWS::X::Thing', provenance: null } as unknown as Resource].map((r) => ({ ...r, ok: true }));
    const outcome = run([record('x.things', COLLECTED, things)], { definition: definition(['x.things']), rule: rule() });
    expect(outcome.results).toHaveLength(4);
    expect(outcome.provenance).toEqual({ sources: ['api'], oldest: COLLECTED, ageSeconds: 0, unreadable: 4 });
  });

  it('manual and inherited controls carry none', () => {
    expect(run([], { definition: { ...definition([]), kind: 'manual' } }).provenance).toBeUndefined();
    expect(run([], { definition: { ...definition([]), kind: 'inherited' } }).provenance).toBeUndefined();
  });
});
