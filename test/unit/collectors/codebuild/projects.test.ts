import { describe, expect, it } from 'vitest';
import { normaliseProject, redactLocation, redactProject, urlHasCredentials } from '../../../../collectors/codebuild/projects.js';

describe('codebuild.projects normaliser', () => {
  it('finds credentials in source URLs and redacts them', () => {
    expect(urlHasCredentials('https://bitbucket.org/ws/repo.git')).toBe(false);
    expect(urlHasCredentials('https://user:pass@bitbucket.org/ws/repo.git')).toBe(true);
    expect(urlHasCredentials('https://x-token-auth:tok@bitbucket.org/ws/repo.git')).toBe(true);
    expect(urlHasCredentials(undefined)).toBe(false);
    expect(redactLocation('https://user:pass@bitbucket.org/ws/repo.git')).toBe('https://<redacted>@bitbucket.org/ws/repo.git');
    expect(redactLocation('https://bitbucket.org/ws/repo.git')).toBe('https://bitbucket.org/ws/repo.git');
  });

  it('normalises logs, Bitbucket sources and plaintext credential variables; redacts values', () => {
    const project = {
      arn: 'arn:aws:codebuild:us-east-1:111111111111:project/p',
      name: 'p',
      source: { type: 'BITBUCKET' as const, location: 'https://u:secret@bitbucket.org/ws/r.git' },
      secondarySources: [{ type: 'GITHUB' as const, location: 'https://t@github.com/o/r', sourceIdentifier: 'gh' }],
      environment: {
        type: 'LINUX_CONTAINER' as const,
        image: 'i',
        computeType: 'BUILD_GENERAL1_SMALL' as const,
        environmentVariables: [
          { name: 'AWS_SECRET_ACCESS_KEY', value: 'v1' },
          { name: 'AWS_ACCESS_KEY_ID', value: 'v2', type: 'PARAMETER_STORE' as const },
        ],
      },
    };
    expect(normaliseProject(project, 'us-east-1')).toEqual({
      id: project.arn,
      type: 'AWS::CodeBuild::Project',
      name: 'p',
      region: 'us-east-1',
      cloudWatchLogsEnabled: true,
      s3LogsEnabled: false,
      s3LogsEncryptionDisabled: false,
      bitbucketUrlsWithCredentials: ['primary'],
      plaintextCredentialVariables: ['AWS_SECRET_ACCESS_KEY'],
    });
    const json = JSON.stringify(redactProject(project));
    for (const secret of ['secret', 'v1', 'v2', 't@github']) expect(json).not.toContain(secret);
  });
});
