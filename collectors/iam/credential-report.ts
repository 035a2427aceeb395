import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { stripMetadata, type Collector } from '../types.js';
import { credentialReportResources } from './credential-report-parse.js';
import { resourceShape, s } from '../resource-schema.js';

export interface CredentialReportOptions {
  /** First wait between GenerateCredentialReport polls; doubles up to 5 s. */
  pollIntervalMs?: number;
  /** Give up (collector error) when the report is not COMPLETE within this time. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * IAM credential report: one bulk call covers every user's password, MFA, access keys and certificates, so no
 * per-user calls are needed. AWS serves a cached report up to 4 hours old; its generation time is kept on
 * every resource (`reportGeneratedAt`) so an auditor can see how fresh it was.
 */
export function createCredentialReportCollector(options: CredentialReportOptions = {}): Collector {
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const sleep = options.sleep ?? defaultSleep;
  return {
    id: 'iam.credential-report',
    version: '1',
    title: 'IAM credential report',
    scope: 'account',
    permissions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
    resourceSchema: resourceShape(
      ['AWS::IAM::User', 'AWS::::Account'],
      {
        arn: s.string,
        rootAccount: s.boolean,
        userCreationTime: s.nullable(s.string),
        passwordEnabled: s.oneOfTypes('boolean', 'null', 'string'),
        passwordLastUsed: s.nullable(s.string),
        passwordLastChanged: s.nullable(s.string),
        passwordNextRotation: s.nullable(s.string),
        mfaActive: s.oneOfTypes('boolean', 'null', 'string'),
        accessKeys: s.array(
          s.object({ slot: s.integer, active: s.oneOfTypes('boolean', 'null', 'string'), lastRotated: s.nullable(s.string), lastUsedDate: s.nullable(s.string), lastUsedRegion: s.nullable(s.string), lastUsedService: s.nullable(s.string) }),
        ),
        activeAccessKeys: s.integer,
        certs: s.array(s.object({ slot: s.integer, active: s.oneOfTypes('boolean', 'null', 'string'), lastRotated: s.nullable(s.string) })),
        reportGeneratedAt: s.nullable(s.string),
      },
    ),
    async collect(ctx) {
      const iam = ctx.clients.get(IAMClient);
      const generations: unknown[] = [];
      let waited = 0;
      let interval = pollIntervalMs;
      for (;;) {
        const generated = await iam.send(new GenerateCredentialReportCommand({}));
        generations.push(stripMetadata(generated));
        if (generated.State === 'COMPLETE') break;
        if (waited >= maxWaitMs) {
          throw new Error(`credential report still ${generated.State ?? 'unknown'} after ${Math.round(waited / 1000)} s; try again later`);
        }
        await sleep(interval);
        waited += interval;
        interval = Math.min(interval * 2, 5000);
      }
      const report = await iam.send(new GetCredentialReportCommand({}));
      if (report.ReportFormat && report.ReportFormat !== 'text/csv') {
        throw new Error(`credential report has unexpected format ${report.ReportFormat}`);
      }
      const csv = Buffer.from(report.Content ?? new Uint8Array()).toString('utf8');
      const generatedAt = report.GeneratedTime ? report.GeneratedTime.toISOString() : undefined;
      return {
        // The CSV is kept as text: it holds dates and flags only, never key material.
        raw: {
          GenerateCredentialReport: generations,
          GetCredentialReport: { GeneratedTime: generatedAt ?? null, ReportFormat: report.ReportFormat ?? null, Content: csv },
        },
        resources: credentialReportResources(csv, ctx.account, generatedAt),
      };
    },
  };
}

export const credentialReport: Collector = createCredentialReportCollector();
