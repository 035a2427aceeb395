import { CodeBuildClient, CreateProjectCommand, type LogsConfig, type ProjectSource, type EnvironmentVariable } from '@aws-sdk/client-codebuild';
import type { SeededIds, Seeder } from './types.js';

/** Demo-only credentials of the legacy project; the integration test checks none reaches evidence. */
export const SEEDED_CODEBUILD_SECRETS = {
  // AWS's documented example keys, never real ones.
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  urlPassword: 'demo-bitbucket-app-password',
};

/**
 * CodeBuild (issue 12), in each region: "ap-app-build" (GitHub source, CloudWatch Logs and encrypted S3 logs),
 * "ap-legacy-build" (a Bitbucket URL with a password, AWS keys in plaintext variables, unencrypted S3 logs only)
 * and "ap-nolog-build" (no logs at all).
 */
export const codebuildSeeder: Seeder = {
  service: 'codebuild',
  async seed(target) {
    const { account, clients } = target;
    const codebuild = clients.get(CodeBuildClient);
    const ids: SeededIds = {};
    const project = async (name: string, source: ProjectSource, logsConfig: LogsConfig, environmentVariables: EnvironmentVariable[] = []) => {
      const created = await codebuild.send(
        new CreateProjectCommand({
          name,
          source,
          artifacts: { type: 'NO_ARTIFACTS' },
          environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables },
          serviceRole: `arn:aws:iam::${account}:role/auditpack-demo-codebuild`,
          logsConfig,
        }),
      );
      ids[`project/${name}`] = created.project?.arn as string;
    };
    await project(
      'ap-app-build',
      { type: 'GITHUB', location: 'https://github.com/example/app.git' },
      { cloudWatchLogs: { status: 'ENABLED' }, s3Logs: { status: 'ENABLED', location: 'auditpack-demo-build-logs/app', encryptionDisabled: false } },
      [{ name: 'AWS_REGION', value: 'us-east-1', type: 'PLAINTEXT' }],
    );
    await project(
      'ap-legacy-build',
      { type: 'BITBUCKET', location: `https://ci-user:${SEEDED_CODEBUILD_SECRETS.urlPassword}@bitbucket.org/example/legacy.git` },
      { cloudWatchLogs: { status: 'DISABLED' }, s3Logs: { status: 'ENABLED', location: 'auditpack-demo-build-logs/legacy', encryptionDisabled: true } },
      [
        { name: 'AWS_ACCESS_KEY_ID', value: SEEDED_CODEBUILD_SECRETS.accessKeyId, type: 'PLAINTEXT' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: SEEDED_CODEBUILD_SECRETS.secretAccessKey, type: 'PLAINTEXT' },
      ],
    );
    await project('ap-nolog-build', { type: 'S3', location: 'auditpack-demo-sources/nolog.zip' }, { cloudWatchLogs: { status: 'DISABLED' }, s3Logs: { status: 'DISABLED' } });
    return ids;
  },
};
