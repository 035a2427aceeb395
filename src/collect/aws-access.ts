import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AccountClients } from './clients.js';

export interface AccessOptions {
  account: string;
  /** When set, credentials come from sts:AssumeRole into arn:aws:iam::<account>:role/<roleName>. */
  roleName?: string;
  endpoint?: string;
  maxAttempts?: number;
  callsPerService?: number;
  /** Region used for STS when assuming the role. */
  stsRegion?: string;
}

/** SDK clients for one account: the caller's own credentials, or an assumed audit role in another account. */
export function clientsFor(options: AccessOptions): AccountClients {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const credentials = options.roleName
    ? fromTemporaryCredentials({
        params: {
          RoleArn: `arn:aws:iam::${options.account}:role/${options.roleName}`,
          RoleSessionName: 'auditpack',
          DurationSeconds: 3600,
        },
        clientConfig: { region: options.stsRegion ?? process.env.AWS_REGION ?? 'us-east-1', ...(endpoint ? { endpoint } : {}) },
      })
    : undefined;
  return new AccountClients(options.account, {
    endpoint,
    credentials,
    maxAttempts: options.maxAttempts ?? 6,
    callsPerService: options.callsPerService ?? 5,
  });
}
