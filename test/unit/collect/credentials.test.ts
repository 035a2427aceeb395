import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientsFor } from '../../../src/collect/aws-access.js';
import { refreshingCredentials } from '../../../src/collect/credentials.js';

const MINUTE = 60_000;
const START = Date.parse('2026-03-01T08:00:00Z');

/** Only Date is faked: sockets and the SDK's own timers keep working, while every clock read sees fake time. */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

describe('refreshingCredentials (fake STS provider)', () => {
  /** A provider that issues one-hour sessions, numbered, and can be told to fail. */
  function fakeSts() {
    let issued = 0;
    let failing = false;
    const provider = vi.fn(async (): Promise<AwsCredentialIdentity> => {
      await new Promise((r) => setImmediate(r));
      if (failing) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      issued++;
      return { accessKeyId: `ASIA${issued}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 60 * MINUTE) };
    });
    return { provider, fail: (on: boolean) => (failing = on) };
  }

  it('keeps a session until 10 minutes before it expires, then renews it before use', async () => {
    const sts = fakeSts();
    const creds = refreshingCredentials(sts.provider);
    expect((await creds()).accessKeyId).toBe('ASIA1');
    advance(49 * MINUTE);
    expect((await creds()).accessKeyId).toBe('ASIA1');
    expect(sts.provider).toHaveBeenCalledTimes(1);
    advance(6 * MINUTE); // 55 minutes: 5 minutes left
    const renewed = await creds();
    expect(renewed.accessKeyId).toBe('ASIA2');
    expect(renewed.expiration!.getTime() - Date.now()).toBe(60 * MINUTE);
    expect(sts.provider).toHaveBeenCalledTimes(2);
  });

  it('shares one refresh among concurrent callers', async () => {
    const sts = fakeSts();
    const creds = refreshingCredentials(sts.provider);
    const first = await Promise.all(Array.from({ length: 25 }, () => creds()));
    expect(new Set(first.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA1']));
    advance(52 * MINUTE);
    const second = await Promise.all(Array.from({ length: 25 }, () => creds()));
    expect(new Set(second.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA2']));
    expect(sts.provider).toHaveBeenCalledTimes(2);
  });

  it('keeps valid credentials when a renewal fails, and fails rather than hand out nearly expired ones', async () => {
    const sts = fakeSts();
    const creds = refreshingCredentials(sts.provider);
    await creds();
    sts.fail(true);
    advance(52 * MINUTE); // 8 minutes left: renewal fails, the current session is still good
    expect((await creds()).accessKeyId).toBe('ASIA1');
    advance(4 * MINUTE); // 4 minutes left: too close to expiry for a call and its retries
    await expect(creds()).rejects.toMatchObject({ name: 'Throttling' });
    sts.fail(false);
    expect((await creds()).accessKeyId).toBe('ASIA2');
  });

  it('renews on forceRefresh, and never refreshes credentials without an expiration', async () => {
    const sts = fakeSts();
    const creds = refreshingCredentials(sts.provider);
    await creds();
    expect((await creds({ forceRefresh: true })).accessKeyId).toBe('ASIA2');

    const staticProvider = vi.fn(async () => ({ accessKeyId: 'AKIA', secretAccessKey: 's' }));
    const fixed = refreshingCredentials(staticProvider);
    await fixed();
    advance(24 * 60 * MINUTE);
    await fixed();
    expect(staticProvider).toHaveBeenCalledTimes(1);
  });

  it('is marked memoized, so the SDK shares it between clients instead of caching it per client', () => {
    expect(refreshingCredentials(fakeSts().provider).memoized).toBe(true);
  });
});

/**
 * A fake STS on 127.0.0.1: AssumeRole issues numbered one-hour sessions (by the fake clock); any other action
 * answers for the session that signed it, and refuses with ExpiredToken when that session has expired.
 */
class FakeSts {
  server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = new URLSearchParams(Buffer.concat(chunks).toString());
      const key = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      res.setHeader('content-type', 'text/xml');
      if (body.get('Action') === 'AssumeRole') {
        this.assumeRoles++;
        const id = `ASIAFAKE${String(this.assumeRoles).padStart(4, '0')}`;
        const expiration = new Date(Date.now() + Number(body.get('DurationSeconds')) * 1000);
        this.sessions.set(id, expiration.getTime());
        res.end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${id}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token-${id}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:auditpack</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/audit/auditpack</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
        return;
      }
      const expires = this.sessions.get(key);
      if (expires === undefined || expires <= Date.now()) {
        this.expiredUses++;
        res.statusCode = 400;
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>r</RequestId></ErrorResponse>`);
        return;
      }
      this.leftAtUse.push(expires - Date.now());
      res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/audit/auditpack</Arn><UserId>${key}</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    });
  });
  assumeRoles = 0;
  expiredUses = 0;
  leftAtUse: number[] = [];
  sessions = new Map<string, number>();
  endpoint = '';
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

describe('clientsFor with an assumed role (fake STS, fake clock)', () => {
  const sts = new FakeSts();
  let saved: NodeJS.ProcessEnv;
  beforeAll(async () => {
    await sts.start();
    saved = { ...process.env };
    // The caller's own credentials, used only to call AssumeRole.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDCALLER', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((r) => sts.server.close(r));
  });
  beforeEach(() => {
    sts.assumeRoles = 0;
    sts.expiredUses = 0;
    sts.leftAtUse = [];
    sts.sessions.clear();
  });

  const access = () => clientsFor({ account: '111122223333', roleName: 'audit', endpoint: sts.endpoint, maxAttempts: 1 });
  const whoAmI = async (clients: ReturnType<typeof access>, region: string) =>
    (await clients.forRegion(region).get(STSClient).send(new GetCallerIdentityCommand({}))).UserId;

  it('after 55 minutes the next call signs with a new session', async () => {
    const clients = access();
    const first = await whoAmI(clients, 'us-east-1');
    advance(55 * MINUTE);
    const later = await whoAmI(clients, 'us-east-1');
    expect(later).not.toBe(first);
    expect(sts.assumeRoles).toBe(2);
    expect(sts.expiredUses).toBe(0);
  });

  it('one AssumeRole for concurrent first calls from every client of the account', async () => {
    const clients = access();
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'eu-central-1'];
    const ids = await Promise.all(regions.flatMap((r) => Array.from({ length: 5 }, () => whoAmI(clients, r))));
    expect(new Set(ids).size).toBe(1);
    expect(sts.assumeRoles).toBe(1);
  });

  it('a five-hour run never signs with an expired session (nor one within 10 minutes of expiry)', async () => {
    const clients = access();
    for (let minute = 0; minute <= 5 * 60; minute += 7) {
      vi.setSystemTime(START + minute * MINUTE);
      await whoAmI(clients, minute % 2 ? 'us-east-1' : 'eu-west-1');
    }
    expect(sts.expiredUses).toBe(0);
    expect(Math.min(...sts.leftAtUse)).toBeGreaterThan(10 * MINUTE);
    // One session per 50-odd minutes, not one per call or per client.
    expect(sts.assumeRoles).toBe(6);
  });

  it('control: without renewal the same run would sign with an expired session (the fake STS refuses it)', async () => {
    const clients = access();
    const held = (await whoAmI(clients, 'us-east-1'))!;
    advance(61 * MINUTE);
    const plain = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, maxAttempts: 1, credentials: { accessKeyId: held, secretAccessKey: 'secret', sessionToken: `token-${held}` } });
    await expect(plain.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
    expect(sts.expiredUses).toBe(1);
  });
});
