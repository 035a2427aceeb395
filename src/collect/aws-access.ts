import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { CallBudget } from './call-budget.js';
import { AccountClients } from './clients.js';
import type { AccountTarget } from './collect.js';
import { refreshingCredentials, type RefreshOptions } from './credentials.js';
import { attemptCap, CallBudgetRetryStrategy, type RetryOptions } from './retry.js';

export interface AccessOptions {
  account: string;
  /** When set, credentials come from sts:AssumeRole into arn:aws:iam::<account>:role/<roleName>. */
  roleName?: string;
  endpoint?: string;
  /** Attempts per call for transient errors (default 6); throttling gets more, see retry.ts. */
  maxAttempts?: number;
  callsPerService?: number;
  /** Region used for STS when assuming the role. */
  stsRegion?: string;
  /** Retry tuning beyond maxAttempts (tests and the benchmark). */
  retry?: Omit<RetryOptions, 'maxAttempts'>;
  /** When assumed-role credentials are renewed (tests). */
  refresh?: RefreshOptions;
  /** The collection's shared call budget (see call-budget.ts); absent: these clients' own. */
  budget?: CallBudget;
}

/** Requested session length; sessions are renewed before they end, so a run may last longer. */
const SESSION_SECONDS = 3600;

/** SDK clients for one account: the caller's own credentials, or an assumed audit role in another account. */
export function clientsFor(options: AccessOptions): AccountClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const maxAttempts = options.maxAttempts ?? 6;
  const retry: RetryOptions = { ...options.retry, maxAttempts };
  const credentials = options.roleName
    ? refreshingCredentials(
        fromTemporaryCredentials({
          params: {
            RoleArn: `arn:aws:iam::${options.account}:role/${options.roleName}`,
            RoleSessionName: 'auditpack',
            DurationSeconds: SESSION_SECONDS,
          },
          clientConfig: {
            region: options.stsRegion ?? process.env.AWS_REGION ?? 'us-east-1',
            ...(endpoint ? { endpoint } : {}),
            // AssumeRole is throttled like any call: the same per-call budget, so a storm cannot cost an account.
            maxAttempts: attemptCap(retry),
            retryStrategy: new CallBudgetRetryStrategy(retry),
          },
        }),
        options.refresh,
      )
    : undefined;
  return new AccountClients(options.account, {
    endpoint,
    credentials,
    maxAttempts,
    callsPerService: options.callsPerService ?? 5,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
  });
}

/**
 * An account to collect, with nothing built yet: the scheduler opens it (credentials provider and clients on the
 * collection's call budget) when the account enters its window and destroys it after the account's last run.
 * `clientsFor` serves callers outside the scheduler (scope discovery, Config's caller clients) from clients of
 * their own, built on first use.
 */
export function accountTarget(options: Omit<AccessOptions, 'budget'>): AccountTarget {
  let own: AccountClients | undefined;
  return {
    account: options.account,
    clientsFor: (region) => (own ??= clientsFor(options)).forRegion(region),
    open: (budget) => {
      const clients = clientsFor({ ...options, budget });
      return { clientsFor: (region) => clients.forRegion(region), destroy: () => clients.destroy() };
    },
  };
}
