import { describe, expect, it } from 'vitest';
import { policyAllowsFullAdmin, unusedCredentialDays } from '../../../../src/rules/functions/iam.js';

describe('policyAllowsFullAdmin', () => {
  const cases: [string, unknown, boolean][] = [
    ['statement object, string action', { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, true],
    ['statement array, action list', { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: ['arn:aws:s3:::x', '*'] }] }, true],
    ['"*:*" is every action', { Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] }, true],
    ['admin statement after a harmless one', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }] }, true],
    ['with a condition still counts', { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] }, true],
    ['Deny "*" on "*" is ignored', { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, false],
    ['service wildcard is not full admin', { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, false],
    ['"*" on a specific resource is not', { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' }] }, false],
    ['NotAction is not Action "*"', { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }, false],
    ['NotResource is not Resource "*"', { Statement: [{ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::secret/*' }] }, false],
    ['empty document', {}, false],
    ['null document', null, false],
    ['no statement', { Version: '2012-10-17' }, false],
  ];
  for (const [name, doc, expected] of cases) {
    it(name, () => expect(policyAllowsFullAdmin(doc)).toBe(expected));
  }
  it('accepts a JSON string', () => {
    expect(policyAllowsFullAdmin('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}')).toBe(true);
  });
  it('throws on a string that is not JSON (ERROR, never PASS)', () => {
    expect(() => policyAllowsFullAdmin('%7B%22Statement')).toThrow(/not valid JSON/);
  });
});

describe('unusedCredentialDays', () => {
  const now = '2024-06-30T00:00:00.000Z';
  it('is -1 without active credentials', () => {
    expect(unusedCredentialDays({ passwordEnabled: false, accessKeys: [{ active: false, lastRotated: '2020-01-01T00:00:00Z' }] }, now)).toBe(-1n);
  });
  it('counts a password from its last use', () => {
    expect(unusedCredentialDays({ passwordEnabled: true, passwordLastUsed: '2024-06-20T00:00:00Z', passwordLastChanged: '2020-01-01T00:00:00Z', accessKeys: [] }, now)).toBe(10n);
  });
  it('counts a never-used password from when it was set, else from user creation', () => {
    expect(unusedCredentialDays({ passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: '2024-06-01T00:00:00Z', accessKeys: [] }, now)).toBe(29n);
    expect(unusedCredentialDays({ passwordEnabled: true, passwordLastUsed: null, passwordLastChanged: null, userCreationTime: '2024-05-31T00:00:00Z' }, now)).toBe(30n);
  });
  it('counts a never-used key from its creation and takes the stalest credential', () => {
    const user = {
      passwordEnabled: true,
      passwordLastUsed: '2024-06-29T00:00:00Z',
      accessKeys: [
        { active: true, lastRotated: '2024-01-01T00:00:00Z', lastUsedDate: '2024-06-28T00:00:00Z' },
        { active: true, lastRotated: '2024-03-02T00:00:00Z', lastUsedDate: null },
      ],
    };
    expect(unusedCredentialDays(user, now)).toBe(120n);
  });
  it('throws when an active credential has no date (ERROR, not PASS)', () => {
    expect(() => unusedCredentialDays({ passwordEnabled: false, accessKeys: [{ active: true, lastRotated: null, lastUsedDate: null }] }, now)).toThrow();
    expect(() => unusedCredentialDays({ passwordEnabled: true }, now)).toThrow();
    expect(() => unusedCredentialDays({}, 'yesterday')).toThrow(/now/);
  });
});
