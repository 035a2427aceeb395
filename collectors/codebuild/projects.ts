import { BatchGetProjectsCommand, CodeBuildClient, paginateListProjects, type Project, type ProjectSource } from '@aws-sdk/client-codebuild';
import type { Resource } from '../../src/core/types.js';
import { REDACTED } from '../../src/collect/redact.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** BatchGetProjects takes at most 100 names per call. */
const BATCH = 100;
/** CodeBuild.2: the AWS credential variables that must never be PLAINTEXT. */
const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/** Whether a source URL carries credentials (user name and password, or a token, before the host). */
export function urlHasCredentials(location: string | undefined): boolean {
  if (!location) return false;
  try {
    const url = new URL(location);
    return url.username !== '' || url.password !== '';
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+@/i.test(location);
  }
}

/** The location without credentials (they never reach evidence). */
export function redactLocation(location: string | undefined): string | undefined {
  if (!location || !urlHasCredentials(location)) return location;
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, `$1${REDACTED}@`);
}

/** A BatchGetProjects project → the resource codebuild.projects emits. */
export function normaliseProject(project: Project, region: string): Resource {
  const logs = project.logsConfig;
  const sources: ProjectSource[] = [...(project.source ? [project.source] : []), ...(project.secondarySources ?? [])];
  return {
    id: project.arn as string,
    type: 'AWS::CodeBuild::Project',
    name: project.name ?? '',
    region,
    // CloudWatch Logs are on unless turned off (CreateProject's default); S3 logs are off unless turned on.
    cloudWatchLogsEnabled: (logs?.cloudWatchLogs?.status ?? 'ENABLED') === 'ENABLED',
    s3LogsEnabled: logs?.s3Logs?.status === 'ENABLED',
    s3LogsEncryptionDisabled: logs?.s3Logs?.encryptionDisabled === true,
    // CodeBuild.1: Bitbucket sources whose URL embeds a user name, password or token.
    bitbucketUrlsWithCredentials: sources.filter((src) => src.type === 'BITBUCKET' && urlHasCredentials(src.location)).map((src) => src.sourceIdentifier ?? 'primary'),
    plaintextCredentialVariables: (project.environment?.environmentVariables ?? [])
      .filter((v) => (v.type ?? 'PLAINTEXT') === 'PLAINTEXT' && CREDENTIAL_VARIABLES.includes(v.name ?? ''))
      .map((v) => v.name as string)
      .sort(),
  };
}

/** The project as kept in evidence: environment values and source credentials replaced. */
export function redactProject(project: Project): Project {
  const source = (src: ProjectSource): ProjectSource => ({ ...src, location: redactLocation(src.location) });
  return {
    ...project,
    ...(project.source ? { source: source(project.source) } : {}),
    ...(project.secondarySources ? { secondarySources: project.secondarySources.map(source) } : {}),
    ...(project.environment
      ? { environment: { ...project.environment, environmentVariables: (project.environment.environmentVariables ?? []).map((v) => ({ ...v, value: REDACTED })) } }
      : {}),
  };
}

/** CodeBuild ListProjects plus BatchGetProjects (100 per call): logging, S3 log encryption, credentials in sources and variables. */
export const codebuildProjects: Collector = {
  id: 'codebuild.projects',
  version: '1',
  title: 'CodeBuild projects',
  scope: 'region',
  permissions: ['codebuild:ListProjects', 'codebuild:BatchGetProjects'],
  resourceSchema: resourceShape(
    'AWS::CodeBuild::Project',
    {
      cloudWatchLogsEnabled: s.boolean,
      s3LogsEnabled: s.boolean,
      s3LogsEncryptionDisabled: s.boolean,
      bitbucketUrlsWithCredentials: s.array(s.string),
      plaintextCredentialVariables: s.array(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(CodeBuildClient);
    const listed = await collectPages(paginateListProjects({ client }, {}), (p) => p.projects);
    const batches: Project[][] = [];
    const raw: Record<string, unknown> = { ListProjects: listed.pages.map(stripMetadata) };
    for (let i = 0; i < listed.items.length; i += BATCH) {
      // A failed batch is not per resource: it propagates, and the run records an error for every project.
      const answer = await client.send(new BatchGetProjectsCommand({ names: listed.items.slice(i, i + BATCH) }));
      const projects = answer.projects ?? [];
      batches.push(projects);
      raw[`BatchGetProjects:${String(i / BATCH + 1).padStart(4, '0')}`] = { ...stripMetadata(answer), projects: projects.map(redactProject) };
    }
    return { raw, resources: batches.flat().filter((p) => p.arn).map((p) => normaliseProject(p, ctx.region)) };
  },
};
