import type { ApiCall, EvidenceError } from '../core/types.js';

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'AccessDeniedError', 'UnauthorizedAccess']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown', 'RequestThrottled', 'RequestThrottledException']);

/** Turns a collector failure into a one-line, actionable reason, naming the IAM action where one failed. */
export function describeFailure(err: unknown, calls: ApiCall[]): EvidenceError {
  const e = err as { name?: string; message?: string; auditpackAction?: string; $metadata?: { httpStatusCode?: number } };
  const failed = [...calls].reverse().find((c) => !c.ok);
  const action = e.auditpackAction ?? (failed ? `${failed.service}:${failed.action}` : undefined);
  const code = e.name && e.name !== 'Error' ? e.name : 'CollectorError';
  const detail = firstLine(e.message ?? String(err));
  let message: string;
  if (DENIED.has(code)) message = `missing permission ${action ?? '(unknown action)'}: ${detail}`;
  else if (THROTTLED.has(code)) message = `throttled and never succeeded${action ? ` on ${action}` : ''} after all retries: ${detail}`;
  else if (isUnparseable(e)) message = `${action ?? 'API call'} is not available at this endpoint (HTTP ${e.$metadata?.httpStatusCode ?? '?'} with a non-AWS body; unimplemented API?)`;
  else message = `${action ? `${action} failed: ` : ''}${detail}`;
  return { code, message, ...(action ? { action } : {}) };
}

function isUnparseable(e: { name?: string; message?: string }): boolean {
  const m = e.message ?? '';
  return /Deserialization error|Unexpected token|char .* is not expected|non-whitespace before first tag|not valid JSON/i.test(m) || e.name === 'SyntaxError';
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
