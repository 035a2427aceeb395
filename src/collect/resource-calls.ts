import { COLLECTION_ERRORS, type FieldError, type Resource } from '../core/types.js';
import { describeFailure } from './failure.js';

/** The outcome of one per-resource call: its answer (undefined when an "absent" code said it is not configured), or failed. */
export type CallOutcome<T> = { ok: true; value: T | undefined } | { ok: false; error: FieldError };

function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string };
  return e.Code ?? e.name ?? '';
}

/** Raw evidence of an answer: the response without SDK metadata. */
function rawOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const { $metadata: _m, ...rest } = value as Record<string, unknown>;
  return rest;
}

/**
 * The per-resource calls of one resource (a bucket's encryption, policy, versioning ...), each filling some of its
 * fields. A call that fails does not fail the collector: it records a FieldError naming the fields it would have
 * filled, its raw entry records the error, and `resource()` leaves those fields out, whatever the collector built
 * from the missing answer. The rest of the resource is kept, so controls that read only other fields judge it.
 * A failed listing is not a per-resource call: it still fails the whole collector run.
 */
export class ResourceCalls {
  readonly raw: Record<string, unknown> = {};
  private readonly errors: FieldError[] = [];

  /**
   * Runs `send`; `fields` are the top-level resource fields its answer fills; `label` keys its raw evidence.
   * Error codes in `absentOn` mean "not configured" (NoSuchBucketPolicy ...): ok, with no value.
   */
  async call<T>(label: string, fields: readonly string[], send: () => Promise<T>, absentOn: readonly string[] = []): Promise<CallOutcome<T>> {
    try {
      const value = await send();
      this.raw[label] = rawOf(value);
      return { ok: true, value };
    } catch (err) {
      const code = errorCode(err);
      if (absentOn.includes(code)) {
        this.raw[label] = { absent: code };
        return { ok: true, value: undefined };
      }
      const failure = describeFailure(err, []);
      const error: FieldError = { fields: [...fields], action: failure.action ?? label, code: failure.code, message: failure.message };
      this.errors.push(error);
      this.raw[label] = { error: { action: error.action, code: error.code, message: error.message } };
      return { ok: false, error };
    }
  }

  /** Whether any call failed. */
  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** The resource without the fields of failed calls, and with their errors (in call-label order, for stable evidence). */
  resource<R extends Resource>(resource: R): R {
    if (this.errors.length === 0) return resource;
    const out: Record<string, unknown> = { ...resource };
    // id and type name the resource: no call fills them, so no failure may remove them.
    for (const error of this.errors) for (const field of error.fields) if (field !== 'id' && field !== 'type') delete out[field];
    out[COLLECTION_ERRORS] = [...this.errors].sort((a, b) => a.action.localeCompare(b.action) || a.fields.join().localeCompare(b.fields.join()));
    return out as R;
  }
}
