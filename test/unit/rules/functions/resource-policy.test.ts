import { describe, expect, it } from 'vitest';
import { publicResourcePolicyStatements } from '../../../../src/rules/functions/resource-policy.js';

const allow = (extra: Record<string, unknown>): unknown => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*', ...extra }] });

describe('publicResourcePolicyStatements', () => {
  it('Principal "*" and {AWS: "*"} without a condition are public', () => {
    expect(publicResourcePolicyStatements(allow({ Principal: '*' }))).toEqual(['statement #1 allows sqs:SendMessage to everyone']);
    expect(publicResourcePolicyStatements(allow({ Sid: 'open', Principal: { AWS: ['*'] } }))).toEqual(['statement "open" allows sqs:SendMessage to everyone']);
    expect(publicResourcePolicyStatements(allow({ NotPrincipal: { AWS: 'arn:aws:iam::111111111111:root' } }))).toHaveLength(1);
  });

  it('a condition pinning the caller makes it not public; negated, IfExists and wildcard conditions do not', () => {
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }))).toEqual([]);
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:t' } } }))).toEqual([]);
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { StringNotEquals: { 'aws:SourceAccount': '111111111111' } } }))).toHaveLength(1);
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { StringEqualsIfExists: { 'aws:SourceAccount': '111111111111' } } }))).toHaveLength(1);
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { ArnLike: { 'aws:SourceArn': '*' } } }))).toHaveLength(1);
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))).toHaveLength(1);
    expect(publicResourcePolicyStatements(allow({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))).toEqual([]);
  });

  it('named principals, Deny statements and no policy are not public', () => {
    expect(publicResourcePolicyStatements(allow({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } }))).toEqual([]);
    expect(publicResourcePolicyStatements(allow({ Principal: { Service: 'sns.amazonaws.com' } }))).toEqual([]);
    expect(publicResourcePolicyStatements({ Statement: { Effect: 'Deny', Principal: '*', Action: '*' } })).toEqual([]);
    expect(publicResourcePolicyStatements(null)).toEqual([]);
    expect(publicResourcePolicyStatements({ unparsable: '{' })).toEqual([]);
  });
});
