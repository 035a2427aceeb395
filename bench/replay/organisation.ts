/**
 * The synthetic organisation the replay server answers for: its accounts, and the identity and organisation calls
 * it answers itself (sts:GetCallerIdentity, sts:AssumeRole, organizations:ListAccounts) in their wire formats.
 * Credentials from AssumeRole encode the target account in the access key id, so every later request says, by its
 * signature's credential scope, which account it belongs to.
 */

export interface Organisation {
  management: string;
  /** Every account, the management account included, sorted. */
  accounts: string[];
  roleName: string;
}

/** N accounts: the recording's management account and N-1 generated ids, deterministic. */
export function organisation(management: string, size: number, roleName: string, avoid: readonly string[] = []): Organisation {
  if (!Number.isInteger(size) || size < 1 || size > 100_000) throw new Error(`organisation size must be 1..100000, got ${size}`);
  const taken = new Set([management, ...avoid]);
  const accounts = [management];
  for (let i = 0; accounts.length < size; i++) {
    const id = String(300_000_000_000 + i);
    if (!taken.has(id)) accounts.push(id);
  }
  return { management, accounts: accounts.sort(), roleName };
}

const ASSUMED = /^ASIA(\d{12})RPLY$/;

/** The access key id AssumeRole hands out for `account` (20 characters, like AWS's). */
export const assumedKeyId = (account: string): string => `ASIA${account}RPLY`;

/** The account an access key id belongs to: an assumed key's own, any other key is the caller's (management). */
export function accountOfKey(accessKeyId: string, org: Organisation): string {
  return ASSUMED.exec(accessKeyId)?.[1] ?? org.management;
}

/** Not a credential: a fixed marker, so a test can search evidence and reports for it. */
export const REPLAY_SECRET = 'replay-secret-not-a-credential';
export const replaySessionToken = (account: string): string => `replay-session-token-${account}`;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const xmlAnswer = (body: string, requestId: string): Answer => ({ status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body });

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function getCallerIdentity(account: string, org: Organisation, requestId: string): Answer {
  const arn = account === org.management ? `arn:aws:iam::${account}:user/auditpack-bench` : `arn:aws:sts::${account}:assumed-role/${org.roleName}/auditpack`;
  return xmlAnswer(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${xmlEscape(arn)}</Arn><UserId>AIDAREPLAY${account}</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    requestId,
  );
}

/** AssumeRole: only the organisation's role in one of its accounts; anything else is AccessDenied, as AWS says it. */
export function assumeRole(form: URLSearchParams, caller: string, org: Organisation, members: ReadonlySet<string>, requestId: string, now: number): Answer | { denied: string } {
  const roleArn = form.get('RoleArn') ?? '';
  const m = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/.exec(roleArn);
  const who = `User: ${caller === org.management ? `arn:aws:iam::${caller}:user/auditpack-bench` : `arn:aws:sts::${caller}:assumed-role/${org.roleName}/auditpack`}`;
  if (!m || !members.has(m[1] as string) || m[2] !== org.roleName) return { denied: `${who} is not authorized to perform: sts:AssumeRole on resource: ${roleArn.slice(0, 200)}` };
  const account = m[1] as string;
  const seconds = Math.min(Math.max(Number(form.get('DurationSeconds') ?? 3600) || 3600, 900), 43_200);
  const expiration = new Date(now + seconds * 1000).toISOString();
  const session = xmlEscape((form.get('RoleSessionName') ?? 'session').slice(0, 64));
  return xmlAnswer(
    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${assumedKeyId(account)}</AccessKeyId><SecretAccessKey>${REPLAY_SECRET}</SecretAccessKey><SessionToken>${replaySessionToken(account)}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAREPLAY${account}:${session}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(org.roleName)}/${session}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    requestId,
  );
}

/** 2026-01-01T00:00:00Z: every synthetic account joined then (deterministic answers). */
const JOINED = 1_767_225_600;

/** ListAccounts, paginated as Organizations does (MaxResults 1..20, an opaque NextToken); only the management account may ask. */
export function listAccounts(body: string, org: Organisation, requestId: string): Answer | { error: string; code: string } {
  let input: { MaxResults?: unknown; NextToken?: unknown };
  try {
    input = JSON.parse(body === '' ? '{}' : body) as typeof input;
  } catch {
    return { code: 'InvalidInputException', error: 'request body is not JSON' };
  }
  const max = input.MaxResults === undefined ? 20 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 20) return { code: 'InvalidInputException', error: 'MaxResults must be 1..20' };
  let start = 0;
  if (input.NextToken !== undefined) {
    const m = typeof input.NextToken === 'string' ? /^replay-(\d{1,6})$/.exec(input.NextToken) : null;
    start = m ? Number(m[1]) : -1;
    if (start < 0 || start >= org.accounts.length) return { code: 'InvalidInputException', error: 'NextToken is not valid' };
  }
  const page = org.accounts.slice(start, start + max).map((id) => ({
    Id: id,
    Arn: `arn:aws:organizations::${org.management}:account/o-replay00000/${id}`,
    Email: `aws+${id}@example.com`,
    Name: id === org.management ? 'management' : `member-${id}`,
    Status: 'ACTIVE',
    JoinedMethod: id === org.management ? 'INVITED' : 'CREATED',
    JoinedTimestamp: JOINED,
  }));
  const next = start + max < org.accounts.length ? { NextToken: `replay-${start + max}` } : {};
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId }, body: JSON.stringify({ Accounts: page, ...next }) };
}
