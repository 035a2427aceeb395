import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { errorMessage } from '../../core/errors.js';
import { generatorId, ID_PREFIX, productArn } from './asff.js';
import { chunk, splitIntoBatches } from './batching.js';
import { isOwnFinding, previousFromHub, type PreviousFinding, type WorkflowUpdate } from './lifecycle.js';
import type { RatedOperation } from './rate-limit.js';

/** A finding Security Hub did not take, after every retry. */
export interface FailedFinding {
  id: string;
  /** import: BatchImportFindings (current or archive); workflow: BatchUpdateFindings; history: GetFindings. */
  action: 'import' | 'workflow' | 'history';
  errorCode: string;
  errorMessage: string;
}

/** The calls one account and region need: a client for that account, and the rate limiter for its quotas. */
export interface HubTarget {
  account: string;
  region: string;
  client: SecurityHubClient;
  take(operation: RatedOperation): Promise<void>;
  /** Rounds of FailedFindings retries, and the backoff between them. */
  retryRounds: number;
  retryBaseMs: number;
  sleep(ms: number): Promise<void>;
}

/** FailedFindings codes worth another attempt: throttling and service-side faults, never invalid input. */
const RETRYABLE_CODE = /throttl|toomanyrequests|limitexceeded|internal|serviceunavailable|unavailable|timeout/i;

export function isRetryableCode(code: string | undefined): boolean {
  return RETRYABLE_CODE.test(code ?? '');
}

function errorCode(err: unknown): string {
  const name = (err as { name?: string }).name;
  return name && name !== 'Error' ? name : 'Error';
}

/** First line of the message, with the HTTP status when the SDK knows it (an HTML error page gives a parse error). */
function describeError(err: unknown): string {
  const e = err as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const first = errorMessage(err).split('\n')[0] ?? '';
  return status ? `${first} (HTTP ${status})` : first;
}

function backoff(target: HubTarget, round: number): number {
  const base = target.retryBaseMs * 2 ** round;
  return Math.min(base + Math.random() * base, 20_000);
}

/**
 * Our findings already in Security Hub for this account and region (all record states). Filtered by product
 * and generator prefix on the server, and again here: moto ignores filters, and nothing else may be touched.
 */
export async function fetchHistory(target: HubTarget): Promise<Map<string, PreviousFinding>> {
  const previous = new Map<string, PreviousFinding>();
  let token: string | undefined;
  do {
    await target.take('GetFindings');
    const page = await target.client.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: productArn(target.region, target.account), Comparison: 'EQUALS' }],
          GeneratorId: [{ Value: generatorId(''), Comparison: 'PREFIX' }],
          Id: [{ Value: ID_PREFIX, Comparison: 'PREFIX' }],
          AwsAccountId: [{ Value: target.account, Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
        NextToken: token,
      }),
    );
    for (const f of page.Findings ?? []) if (isOwnFinding(f, target.account, target.region) && f.Id) previous.set(f.Id, previousFromHub(f));
    token = page.NextToken || undefined;
  } while (token);
  return previous;
}

export interface ImportOutcome {
  succeeded: Set<string>;
  failed: FailedFinding[];
}

/**
 * BatchImportFindings in batches (≤100 findings, ≤6 MB), paced by the rate limiter. The SDK retries throttled
 * calls (adaptive mode); FailedFindings entries and calls that still fail with a retryable code are retried in
 * further rounds with backoff. Whatever still fails is returned with its code, never dropped.
 */
export async function importFindings(target: HubTarget, findings: readonly AwsSecurityFinding[]): Promise<ImportOutcome> {
  const succeeded = new Set<string>();
  const failed: FailedFinding[] = [];
  let pending = [...findings];
  for (let round = 0; pending.length; round++) {
    const last = round >= target.retryRounds;
    const { batches, oversized } = splitIntoBatches(pending);
    for (const o of oversized) failed.push({ id: o.id, action: 'import', errorCode: 'FindingTooLarge', errorMessage: `finding is ${o.bytes} bytes even after trimming (limit 240 KB)` });
    const retry: AwsSecurityFinding[] = [];
    for (const batch of batches) {
      await target.take('BatchImportFindings');
      try {
        const res = await target.client.send(new BatchImportFindingsCommand({ Findings: batch }));
        const failures = new Map((res.FailedFindings ?? []).map((f) => [f.Id ?? '', f] as const));
        for (const finding of batch) {
          const failure = failures.get(finding.Id ?? '');
          if (!failure) succeeded.add(finding.Id ?? '');
          else if (!last && isRetryableCode(failure.ErrorCode)) retry.push(finding);
          else failed.push({ id: finding.Id ?? '', action: 'import', errorCode: failure.ErrorCode ?? 'Unknown', errorMessage: failure.ErrorMessage ?? '' });
        }
      } catch (err) {
        const code = errorCode(err);
        if (!last && isRetryableCode(code)) retry.push(...batch);
        else for (const finding of batch) failed.push({ id: finding.Id ?? '', action: 'import', errorCode: code, errorMessage: describeError(err) });
      }
    }
    pending = retry;
    if (pending.length) await target.sleep(backoff(target, round));
  }
  return { succeeded, failed };
}

/** BatchUpdateFindings for workflow changes (waivers), ≤100 identifiers a call; unprocessed ones are reported. */
export async function updateWorkflow(target: HubTarget, updates: readonly WorkflowUpdate[]): Promise<FailedFinding[]> {
  const failed: FailedFinding[] = [];
  const arn = productArn(target.region, target.account);
  for (const update of updates) {
    for (const ids of chunk(update.ids, 100)) {
      await target.take('BatchUpdateFindings');
      try {
        const res = await target.client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: ids.map((Id) => ({ Id, ProductArn: arn })),
            Workflow: { Status: update.status },
            Note: { Text: update.note, UpdatedBy: 'auditpack' },
          }),
        );
        for (const u of res.UnprocessedFindings ?? [])
          failed.push({ id: u.FindingIdentifier?.Id ?? '', action: 'workflow', errorCode: u.ErrorCode ?? 'Unknown', errorMessage: u.ErrorMessage ?? '' });
      } catch (err) {
        for (const id of ids) failed.push({ id, action: 'workflow', errorCode: errorCode(err), errorMessage: describeError(err) });
      }
    }
  }
  return failed;
}
