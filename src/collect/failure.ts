import type { ApiCall, EvidenceError, Refusal } from '../core/types.js';

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'AccessDeniedError', 'UnauthorizedAccess']);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown', 'RequestThrottled', 'RequestThrottledException']);

/**
 * How each protocol says "these credentials are not valid here": query (IAM, STS, RDS) InvalidClientTokenId,
 * JSON and REST-JSON (KMS, CloudTrail, Lambda, GuardDuty) UnrecognizedClientException, EC2 AuthFailure, S3
 * InvalidAccessKeyId / InvalidToken. A region that is not enabled for the account answers every call this way
 * (and an enabled opt-in region answers so to version-1 STS session tokens: AWS knowledge center,
 * https://aws.amazon.com/premiumsupport/knowledge-center/iam-validate-access-credentials/).
 */
const CREDENTIALS_REJECTED = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure', 'InvalidAccessKeyId', 'InvalidToken']);
const CREDENTIALS_REJECTED_TEXT = /security token included in the request is invalid|not able to validate the provided access credentials/i;

/**
 * A service the account is not signed up for: OptInRequired "The AWS access key ID needs a subscription for the
 * service" (AWS common errors, e.g. https://docs.aws.amazon.com/securityhub/1.0/APIReference/CommonErrors.html;
 * query and EC2), SubscriptionRequiredException (JSON), NotSignedUp (S3).
 */
const NOT_SUBSCRIBED = new Set(['OptInRequired', 'SubscriptionRequiredException', 'NotSignedUp']);

/**
 * AWS access-denied messages name the policy type that denied ("Troubleshooting access denied error messages",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html): "User: <arn> is not authorized
 * to perform: <action> on resource: <arn> with an explicit deny in a service control policy", optionally followed by
 * ": <policy ARN>" (https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns),
 * or "... because no service control policy allows the <action> action" when no SCP allows it. Denies from other
 * policy types (identity, boundary, session, resource, RCP) stay "missing permission".
 */
const SCP_DENY = /with an explicit deny in a service control policy|because no service control policy allows/i;
/** The action AWS names as denied; only when the text reads as AWS writes it, else the failing call's action. */
const DENIED_ACTION = /is not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9*]+)(?= on resource| with | because |$)/;

/** Where the failing collector ran, so a refusal can be told apart from bad credentials and the fix can name it. */
export interface FailureScope {
  /** The region collected: an AWS region, or `global` for account-scope collectors (which run in the home region). */
  region: string;
  /**
   * The region for global APIs, where the run already proved these credentials work (sts:GetCallerIdentity runs
   * there before any collector). Without it a rejected token is never taken for a region that is not enabled.
   */
  homeRegion?: string;
}

interface SdkError {
  name?: string;
  message?: string;
  auditpackAction?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns a collector failure into a one-line, actionable reason, naming the IAM action where one failed. Failures
 * that refuse a whole service or region (an SCP deny, a region that is not enabled, a service not subscribed) are
 * marked with `refusal` so they can be reported once per scope.
 */
export function describeFailure(err: unknown, calls: ApiCall[], scope?: FailureScope): EvidenceError {
  const e = err as SdkError;
  const failed = [...calls].reverse().find((c) => !c.ok);
  const action = e.auditpackAction ?? (failed ? `${failed.service}:${failed.action}` : undefined);
  const code = e.name && e.name !== 'Error' ? e.name : 'CollectorError';
  const detail = firstLine(e.message ?? String(err));
  const base = { code, ...(action ? { action } : {}) };
  const refusal = refusalOf(code, e, detail, scope);
  if (refusal) return { ...base, refusal, message: refusalMessage(refusal, action, detail, scope) };
  let message: string;
  if (DENIED.has(code)) message = `missing permission ${action ?? '(unknown action)'}: ${detail}`;
  else if (THROTTLED.has(code)) message = `throttled and never succeeded${action ? ` on ${action}` : ''} after all retries: ${detail}`;
  else if (isUnparseable(e)) message = `${action ?? 'API call'} is not available at this endpoint (HTTP ${e.$metadata?.httpStatusCode ?? '?'} with a non-AWS body; unimplemented API?)`;
  else message = `${action ? `${action} failed: ` : ''}${detail}`;
  return { ...base, message };
}

function refusalOf(code: string, e: SdkError, detail: string, scope: FailureScope | undefined): Refusal | undefined {
  if (NOT_SUBSCRIBED.has(code)) return 'not-subscribed';
  const denied = DENIED.has(code) || e.$metadata?.httpStatusCode === 403;
  if (denied && SCP_DENY.test(detail)) return 'scp-deny';
  // A rejected token means "region not enabled" only where it cannot mean bad credentials: in a region other than
  // the home region, whose endpoints accepted the same credentials before collection began.
  const rejected = CREDENTIALS_REJECTED.has(code) || CREDENTIALS_REJECTED_TEXT.test(detail);
  if (rejected && scope?.homeRegion && scope.region !== 'global' && scope.region !== scope.homeRegion) return 'region-not-enabled';
  return undefined;
}

function refusalMessage(refusal: Refusal, action: string | undefined, detail: string, scope: FailureScope | undefined): string {
  const regional = scope !== undefined && scope.region !== 'global';
  const where = regional ? ` in ${scope.region}` : '';
  const orRegions = regional ? `, or exclude ${scope.region} with --regions` : scope ? '' : ', or exclude the region with --regions';
  switch (refusal) {
    case 'region-not-enabled':
      return `region ${scope?.region ?? '?'} is not enabled for this account: ${action ?? 'the call'} was refused ("${detail}") although ${scope?.homeRegion ?? 'the home region'} accepts the same credentials (fix: exclude it with --regions, or enable the region)`;
    case 'scp-deny': {
      const denied = DENIED_ACTION.exec(detail)?.[1] ?? action ?? 'the call';
      return `${denied} is denied by a service control policy${where}: ${detail} (fix: have the organisation exempt the audit role from the SCP${orRegions})`;
    }
    case 'not-subscribed': {
      const service = action?.split(':')[0] ?? 'the service';
      return `the account is not subscribed to ${service}${where} (${action ?? 'the call'}: ${detail}) (fix: subscribe the account to the service${orRegions})`;
    }
  }
}

function isUnparseable(e: { name?: string; message?: string }): boolean {
  const m = e.message ?? '';
  return /Deserialization error|Unexpected token|char .* is not expected|non-whitespace before first tag|not valid JSON/i.test(m) || e.name === 'SyntaxError';
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
