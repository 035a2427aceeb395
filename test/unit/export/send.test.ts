import { BatchImportFindingsCommand, BatchUpdateFindingsCommand, GetFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { describe, expect, it, vi } from 'vitest';
import { toFinding } from '../../../src/export/securityhub/asff.js';
import { fetchHistory, importFindings, isRetryableCode, updateWorkflow, type HubTarget } from '../../../src/export/securityhub/send.js';
import { ACCOUNT, context, control, result } from './fixtures.js';

const REGION = 'eu-west-1';
const findings = (n: number) => Array.from({ length: n }, (_, i) => toFinding(control(), result({ resourceId: `arn:aws:s3:::b-${i}` }), context()));

/** A narrow fake client: `send` answers from a function of the command. */
function target(answer: (command: unknown, call: number) => unknown): { target: HubTarget; send: ReturnType<typeof vi.fn>; sleeps: number[] } {
  let call = 0;
  const send = vi.fn(async (command: unknown) => {
    const out = answer(command, call++);
    if (out instanceof Error) throw out;
    return out;
  });
  const sleeps: number[] = [];
  return {
    send,
    sleeps,
    target: {
      account: ACCOUNT,
      region: REGION,
      client: { send } as unknown as SecurityHubClient,
      take: async () => undefined,
      retryRounds: 3,
      retryBaseMs: 10,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  };
}

const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });

describe('importing findings', () => {
  it('sends batches of at most 100 and reports every success', async () => {
    const all = findings(230);
    const t = target((cmd) => ({ FailedCount: 0, SuccessCount: (cmd as BatchImportFindingsCommand).input.Findings?.length, FailedFindings: [] }));
    const out = await importFindings(t.target, all);
    expect(t.send.mock.calls.map(([c]) => (c as BatchImportFindingsCommand).input.Findings?.length)).toEqual([100, 100, 30]);
    expect(out.succeeded.size).toBe(230);
    expect(out.failed).toEqual([]);
  });

  it('retries FailedFindings entries with retryable codes, with backoff, and only those', async () => {
    const all = findings(3);
    const t = target((cmd, call) => {
      const batch = (cmd as BatchImportFindingsCommand).input.Findings ?? [];
      if (call === 0) return { FailedCount: 2, SuccessCount: 1, FailedFindings: [{ Id: batch[1]!.Id, ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }, { Id: batch[2]!.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad Types' }] };
      return { FailedCount: 0, SuccessCount: batch.length, FailedFindings: [] };
    });
    const out = await importFindings(t.target, all);
    expect(t.send).toHaveBeenCalledTimes(2);
    expect((t.send.mock.calls[1]![0] as BatchImportFindingsCommand).input.Findings?.map((f) => f.Id)).toEqual([all[1]!.Id]);
    expect([...out.succeeded].sort()).toEqual([all[0]!.Id, all[1]!.Id].sort());
    expect(out.failed).toEqual([{ id: all[2]!.Id, action: 'import', errorCode: 'InvalidInput', errorMessage: 'bad Types' }]);
    expect(t.sleeps).toHaveLength(1);
  });

  it('retries a call that still throws a throttling error after the SDK gave up, then reports what never got through', async () => {
    const all = findings(2);
    const t = target(() => throttle());
    const out = await importFindings(t.target, all);
    expect(t.send).toHaveBeenCalledTimes(4); // first round + 3 retry rounds
    expect(t.sleeps).toHaveLength(3);
    expect(t.sleeps[1]!).toBeGreaterThanOrEqual(20);
    expect(out.succeeded.size).toBe(0);
    expect(out.failed.map((f) => [f.id, f.errorCode])).toEqual(all.map((f) => [f.Id, 'TooManyRequestsException']));
  });

  it('does not retry non-retryable call errors, and lists every finding of the batch', async () => {
    const all = findings(2);
    const t = target(() => Object.assign(new Error('Security Hub is not enabled'), { name: 'InvalidAccessException' }));
    const out = await importFindings(t.target, all);
    expect(t.send).toHaveBeenCalledTimes(1);
    expect(out.failed.map((f) => f.errorCode)).toEqual(['InvalidAccessException', 'InvalidAccessException']);
  });

  it('reports a finding too large to send', async () => {
    const huge = toFinding(control(), result({ resourceId: `arn:aws:s3:::${'h'.repeat(300_000)}` }), context());
    const t = target(() => ({ FailedCount: 0, SuccessCount: 0, FailedFindings: [] }));
    const out = await importFindings(t.target, [huge]);
    expect(t.send).not.toHaveBeenCalled();
    expect(out.failed[0]).toMatchObject({ id: huge.Id, errorCode: 'FindingTooLarge' });
  });

  it('classifies retryable FailedFindings codes', () => {
    for (const code of ['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'InternalException', 'ServiceUnavailable']) expect(isRetryableCode(code)).toBe(true);
    for (const code of ['InvalidInput', 'InvalidAccessException', 'AccessDeniedException', undefined]) expect(isRetryableCode(code)).toBe(false);
  });
});

describe('reading history from Security Hub', () => {
  it('filters by product and generator on the server and again on the client, across pages', async () => {
    const [ours1, ours2] = findings(2);
    const foreign = { ...ours1!, Id: 'arn:aws:guardduty:x', ProductArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty`, GeneratorId: 'guardduty' };
    const t = target((cmd, call) => {
      expect((cmd as GetFindingsCommand).input.Filters?.ProductArn).toEqual([{ Value: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`, Comparison: 'EQUALS' }]);
      expect((cmd as GetFindingsCommand).input.Filters?.GeneratorId).toEqual([{ Value: 'auditpack/', Comparison: 'PREFIX' }]);
      return call === 0 ? { Findings: [ours1, foreign], NextToken: 'p2' } : { Findings: [ours2] };
    });
    const history = await fetchHistory(t.target);
    expect([...history.keys()].sort()).toEqual([ours1!.Id, ours2!.Id].sort());
    expect((t.send.mock.calls[1]![0] as GetFindingsCommand).input.NextToken).toBe('p2');
  });
});

describe('workflow updates', () => {
  it('sends ≤100 identifiers per BatchUpdateFindings call and reports unprocessed ones', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `auditpack/c/${ACCOUNT}/${REGION}/${i}`);
    const t = target((cmd, call) => {
      const input = (cmd as BatchUpdateFindingsCommand).input;
      expect(input.Workflow).toEqual({ Status: 'SUPPRESSED' });
      expect(input.Note).toEqual({ Text: 'Waived: legacy', UpdatedBy: 'auditpack' });
      return call === 0
        ? { ProcessedFindings: [], UnprocessedFindings: [{ FindingIdentifier: { Id: ids[0], ProductArn: 'x' }, ErrorCode: 'FindingNotFound', ErrorMessage: 'no such finding' }] }
        : { ProcessedFindings: [], UnprocessedFindings: [] };
    });
    const failed = await updateWorkflow(t.target, [{ status: 'SUPPRESSED', note: 'Waived: legacy', ids }]);
    expect(t.send.mock.calls.map(([c]) => (c as BatchUpdateFindingsCommand).input.FindingIdentifiers?.length)).toEqual([100, 50]);
    expect(failed).toEqual([{ id: ids[0], action: 'workflow', errorCode: 'FindingNotFound', errorMessage: 'no such finding' }]);
  });
});
