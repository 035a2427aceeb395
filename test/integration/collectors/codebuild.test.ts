import { describe, expect, it } from 'vitest';
import { SEEDED_CODEBUILD_SECRETS } from '../../../src/demo/seed/codebuild.js';
import { byName } from '../../helpers/estate.js';
import { useRegionService } from '../../helpers/region-collectors.js';

/**
 * CodeBuild against moto (issue 12): the demo organisation seeded in both regions with real SDK calls, the real
 * collector's normalised evidence, then the pipeline against test/fixtures/estate/codebuild.yaml.
 */
const { seeded, evidence } = useRegionService('codebuild');

describe('codebuild evidence', () => {
  it('codebuild.projects: logging, S3 log encryption, credentials in sources and variables', () => {
    const projects = evidence().resources('codebuild.projects', seeded.estate.management, 'us-east-1');
    expect(byName(projects, 'ap-app-build')).toMatchObject({ type: 'AWS::CodeBuild::Project', cloudWatchLogsEnabled: true, s3LogsEnabled: true, s3LogsEncryptionDisabled: false, bitbucketUrlsWithCredentials: [], plaintextCredentialVariables: [] });
    expect(byName(projects, 'ap-legacy-build')).toMatchObject({ cloudWatchLogsEnabled: false, s3LogsEncryptionDisabled: true, bitbucketUrlsWithCredentials: ['primary'], plaintextCredentialVariables: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] });
  });

  it('no credential of a project appears anywhere in the evidence', () => {
    const json = JSON.stringify([...evidence().records.values()]);
    for (const value of Object.values(SEEDED_CODEBUILD_SECRETS)) expect(json).not.toContain(value);
  });
});
