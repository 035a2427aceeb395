import type { Exchange } from './recording.js';

/**
 * Answers moto cannot give, replaced by the answer AWS gives an account without the feature, so the benchmark
 * measures auditpack rather than retries of moto's HTTP 500s (six attempts with backoff per account and region).
 * Each fill names the moto gap it covers (README "What moto cannot serve"); everything else is replayed as
 * recorded, errors included.
 */
interface GapFill {
  gap: string;
  matches(e: Exchange): boolean;
  answer: Pick<Exchange, 'status' | 'headers' | 'body' | 'encoding'>;
}

const FILLS: GapFill[] = [
  {
    gap: 'Access Analyzer is not implemented (HTTP 500): AWS answers ListAnalyzers with no analyzers for an account that has none',
    matches: (e) => e.service === 'access-analyzer' && e.method === 'GET' && e.operation === 'GET /analyzer' && e.status >= 500,
    answer: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"analyzers":[]}', encoding: 'utf8' },
  },
];

/** The exchanges with moto-gap answers replaced, and how many were replaced per gap. */
export function fillMotoGaps(exchanges: readonly Exchange[]): { exchanges: Exchange[]; filled: Record<string, number> } {
  const filled: Record<string, number> = {};
  const out = exchanges.map((e) => {
    const fill = FILLS.find((f) => f.matches(e));
    if (!fill) return e;
    filled[fill.gap] = (filled[fill.gap] ?? 0) + 1;
    return { ...e, ...fill.answer, headers: { ...fill.answer.headers, ...(e.headers['x-amzn-requestid'] ? { 'x-amzn-requestid': e.headers['x-amzn-requestid'] } : {}) } };
  });
  return { exchanges: out, filled };
}
