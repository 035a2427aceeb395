import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export interface RefreshOptions {
  /** Fetch new credentials when the current ones expire within this (ms, default 10 minutes). */
  refreshBeforeMs?: number;
  /**
   * When a refresh fails, keep using the current credentials while they stay valid this long (ms, default
   * 5 minutes): enough for a call and all its retries to be signed and received before they expire.
   */
  minValidityMs?: number;
  /** The clock (ms since the epoch); Date.now by default, which fake timers replace. */
  now?: () => number;
}

/** The SDK takes a provider marked `memoized` as is, instead of caching it again in every client. */
export type SharedCredentialProvider = AwsCredentialIdentityProvider & { memoized: true };

/**
 * One credential cache for every client of an account: assumed-role sessions are renewed `refreshBeforeMs` before
 * they expire, so a multi-hour run never signs with expired credentials (ExpiredToken). Concurrent callers share
 * one refresh (one AssumeRole). A failed refresh is retried on the next call, and the old credentials are used
 * meanwhile as long as they are valid for at least `minValidityMs`.
 *
 * Why not the SDK's own cache: it lives in each client (one AssumeRole per service and region), renews only
 * 5 minutes before expiry, and fails the call when that renewal fails, although its credentials are still valid.
 */
export function refreshingCredentials(provider: AwsCredentialIdentityProvider, options: RefreshOptions = {}): SharedCredentialProvider {
  const refreshBeforeMs = options.refreshBeforeMs ?? 10 * 60_000;
  const minValidityMs = options.minValidityMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;

  const remaining = (c: AwsCredentialIdentity): number => (c.expiration ? c.expiration.getTime() - now() : Infinity);
  const refresh = (properties?: Record<string, unknown>): Promise<AwsCredentialIdentity> =>
    (pending ??= provider(properties)
      .then((fresh) => {
        current = fresh;
        return fresh;
      })
      .finally(() => {
        pending = undefined;
      }));

  const shared = async (properties?: Record<string, unknown>): Promise<AwsCredentialIdentity> => {
    if (!current || properties?.forceRefresh) return refresh(properties);
    const held = current;
    if (remaining(held) > refreshBeforeMs) return held;
    try {
      return await refresh(properties);
    } catch (err) {
      if (remaining(held) > minValidityMs) return held;
      throw err;
    }
  };
  return Object.assign(shared, { memoized: true as const });
}
