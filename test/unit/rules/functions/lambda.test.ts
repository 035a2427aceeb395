import { describe, expect, it } from 'vitest';
import { lambdaPolicyPublicStatements } from '../../../../src/rules/functions/lambda.js';

const statement = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Sid: 's1', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f', ...extra }] });

describe('lambdaPolicyPublicStatements (Lambda.1)', () => {
  it('no policy and account-scoped policies are not public', () => {
    expect(lambdaPolicyPublicStatements(null)).toEqual([]);
    expect(lambdaPolicyPublicStatements(statement({ Principal: { AWS: 'arn:aws:iam::222222222222:root' } }))).toEqual([]);
    expect(lambdaPolicyPublicStatements(statement({ Principal: '*', Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } }))).toEqual([]);
  });

  it('everyone without a fixed condition is public', () => {
    expect(lambdaPolicyPublicStatements(statement({ Principal: '*' }))).toEqual(['statement "s1" allows lambda:InvokeFunction to everyone']);
    expect(lambdaPolicyPublicStatements(statement({ Principal: { AWS: '*' }, Condition: { StringLike: { 'AWS:SourceAccount': '*' } } }))).toHaveLength(1);
  });

  it('S3 may invoke only with AWS:SourceAccount', () => {
    expect(lambdaPolicyPublicStatements(statement({ Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bucket' } } }))).toEqual([
      'statement "s1" lets Amazon S3 invoke it without an AWS:SourceAccount condition',
    ]);
    expect(
      lambdaPolicyPublicStatements(statement({ Principal: { Service: 's3.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bucket' }, StringEquals: { 'AWS:SourceAccount': '111111111111' } } })),
    ).toEqual([]);
    expect(lambdaPolicyPublicStatements(statement({ Principal: { Service: 'sns.amazonaws.com' } }))).toEqual([]);
  });
});
