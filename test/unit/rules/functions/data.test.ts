import { describe, expect, it } from 'vitest';
import { dataFunctions, isConfigServiceLinkedRole, rotationIntervalDays } from '../../../../src/rules/functions/data.js';
import { compileExpression } from '../../../../src/rules/cel.js';

describe('isConfigServiceLinkedRole', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig', true],
    ['arn:aws-us-gov:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig', true],
    ['arn:aws:iam::123456789012:role/config-role', false],
    ['arn:aws:iam::123456789012:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty', false],
    [null, false],
    [42, false],
  ])('%s -> %s', (arn, expected) => expect(isConfigServiceLinkedRole(arn)).toBe(expected));
});

describe('rotationIntervalDays', () => {
  it.each([
    [{ automaticallyAfterDays: 30, scheduleExpression: null }, 30n],
    [{ scheduleExpression: 'rate(10 days)' }, 10n],
    [{ scheduleExpression: 'rate(4 hours)' }, 1n],
    [{ scheduleExpression: 'rate(36 hours)' }, 2n],
    [{ automaticallyAfterDays: 7, scheduleExpression: 'rate(90 days)' }, 90n],
    [{ scheduleExpression: 'cron(0 16 1,15 * ? *)' }, 17n],
    [{ scheduleExpression: 'cron(0 8 ? * MON *)' }, 7n],
    [{ scheduleExpression: 'cron(0 8 ? * MON,THU *)' }, 4n],
    [{ scheduleExpression: 'cron(0 8 * * ? *)' }, 1n],
    [{ scheduleExpression: 'cron(0 8 1 */3 ? *)' }, -1n],
    [{ scheduleExpression: 'cron(0 8 L * ? *)' }, -1n],
    [{ automaticallyAfterDays: 0 }, -1n],
    [{}, -1n],
    [null, -1n],
    ['rate(1 days)', -1n],
  ])('%j -> %s', (rules, expected) => expect(rotationIntervalDays(rules)).toBe(expected));

  it('accepts CEL ints (bigint) as well as JSON numbers', () => expect(rotationIntervalDays({ automaticallyAfterDays: 30n })).toBe(30n));
});

describe('data functions in CEL', () => {
  it('are registered and callable from rules', () => {
    expect(dataFunctions.map((f) => f.signature.split('(')[0])).toEqual(['isConfigServiceLinkedRole', 'rotationIntervalDays']);
    expect(compileExpression('rotationIntervalDays(r.rules) <= 30')({ r: { rules: { automaticallyAfterDays: 30 } } })).toBe(true);
    expect(compileExpression('isConfigServiceLinkedRole(r.roleArn)')({ r: { roleArn: null } })).toBe(false);
  });
});
