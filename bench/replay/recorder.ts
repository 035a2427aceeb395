import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { describeRequest } from '../../test/support/fault-proxy.js';
import { assertLoopback, listenLoopback, readBody } from './http.js';
import { encodeBody, type Exchange } from './recording.js';
import { requestKey, signingScope } from './request-key.js';

/** Response headers worth replaying: what the SDK reads. Date, server and framing headers are the replayer's own. */
const KEPT_HEADERS = /^(content-type|x-amzn-requestid|x-amz-request-id|x-amz-id-2|x-amzn-errortype|x-amz-bucket-region|x-amz-[a-z0-9-]+|etag|last-modified|location)$/;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface Recorder {
  endpoint: string;
  /** Exchanges recorded so far, in the order their answers arrived. */
  exchanges(): Exchange[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of moto that records the AWS requests of one account and their answers. The
 * recorded account is reached through sts:AssumeRole: the access key ids moto returns for a role of `account` mark
 * its requests; everything else (the caller's own calls, AssumeRole itself) passes through unrecorded, as the
 * replay server answers identity and organisation calls itself. `account`'s id becomes the key's placeholder.
 */
export async function startRecorder(target: string, account: string): Promise<Recorder> {
  const upstream = assertLoopback(target, 'recorder target');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const recorded: Exchange[] = [];
  const accountKeys = new Set<string>();
  const roleOfAccount = new RegExp(`RoleArn=arn%3Aaws%3Aiam%3A%3A${account}%3Arole`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('recorder: request body too large');
      return;
    }
    const parsed = new URL(req.url ?? '/', 'http://recorder.invalid');
    // Only ever the path: an absolute-form request line must not steer the proxy to another host.
    const url = parsed.pathname + parsed.search;
    const method = req.method ?? 'GET';
    // latin1 maps each byte to one character: lossless for binary (CBOR) bodies, and account ids are ASCII.
    const text = body.toString('latin1');
    await new Promise<void>((resolve, reject) => {
      const out = httpRequest({ agent, host: upstream.hostname, port: upstream.port || 80, method, path: url, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('error', reject);
        answer.on('end', () => {
          const answerBody = Buffer.concat(chunks);
          const status = answer.statusCode ?? 502;
          const scope = signingScope(req.headers);
          if (scope?.service === 'sts' && roleOfAccount.test(text)) {
            const assumed = /<AccessKeyId>([A-Za-z0-9]{1,128})<\/AccessKeyId>/.exec(answerBody.toString('utf8'));
            if (assumed?.[1]) accountKeys.add(assumed[1]);
          }
          const own = scope !== undefined && accountKeys.has(scope.accessKeyId) && !parsed.pathname.startsWith('/moto-api/');
          const key = own ? requestKey({ method, url, headers: req.headers, body: text }, account) : undefined;
          if (key !== undefined) {
            const info = describeRequest(method, url, req.headers, text);
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(answer.headers)) if (KEPT_HEADERS.test(name) && typeof value === 'string') headers[name] = value;
            recorded.push({ key, service: info.service, operation: info.operation, region: info.region, method, status, headers, ...encodeBody(answerBody) });
          }
          res.writeHead(status, answer.headers);
          res.end(answerBody);
          resolve();
        });
      });
      out.on('error', reject);
      out.end(body);
    });
  };

  const listening = await listenLoopback(handle);
  return {
    endpoint: listening.endpoint,
    exchanges: () => [...recorded],
    close: async () => {
      agent.destroy();
      await listening.close();
    },
  };
}
