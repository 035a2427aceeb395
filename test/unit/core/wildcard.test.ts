import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../src/core/wildcard.js';
import { idMatches } from '../../../src/core/wildcard.js';
import { policyAllowsPublicAccess, policyDeniesInsecureTransport, wildcardMatch } from '../../../src/rules/functions/s3.js';
import { prng } from '../../helpers/prng.js';

/** Reference: the textbook dynamic program over (pattern prefix, text prefix); obviously right, O(p × t). */
function reference(pattern: string, text: string, questionMark: boolean): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (p === '*') {
      next[0] = row[0] as boolean;
      for (let j = 1; j <= text.length; j++) next[j] = (row[j] as boolean) || (next[j - 1] as boolean);
    } else {
      for (let j = 1; j <= text.length; j++) next[j] = (row[j - 1] as boolean) && ((questionMark && p === '?') || text[j - 1] === p);
    }
    row = next;
  }
  return row[text.length] as boolean;
}

/** The regex the old code built (fine for tiny inputs): a second, independent reference. */
function regexReference(pattern: string, text: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'si' : 's').test(text);
}

function randomString(next: () => number, alphabet: string, max: number): string {
  const length = Math.floor(next() * (max + 1));
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

describe('globMatch: correctness', () => {
  it('handles the basic cases', () => {
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('*', 'anything')).toBe(true);
    expect(globMatch('**', '')).toBe(true);
    expect(globMatch('?', '')).toBe(false);
    expect(globMatch('?', 'x')).toBe(true);
    expect(globMatch('a*b', 'ab')).toBe(true);
    expect(globMatch('a*b', 'a')).toBe(false);
    expect(globMatch('a*a', 'a'), 'prefix and suffix must not overlap').toBe(false);
    expect(globMatch('*ab*ab*', 'abab')).toBe(true);
    expect(globMatch('*ab*ab*', 'aba')).toBe(false);
    expect(globMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(globMatch('s3:get*', 's3:GetObject')).toBe(false);
    expect(globMatch('s3:get*', 's3:GetObject', { ignoreCase: true })).toBe(true);
    expect(globMatch('arn:aws:s3:::b.c/*', 'arn:aws:s3:::bxc/x'), 'a dot is literal').toBe(false);
    expect(globMatch('a?c', 'a?c', { questionMark: false })).toBe(true);
    expect(globMatch('a?c', 'abc', { questionMark: false })).toBe(false);
    expect(globMatch('(a|b)+[x]$^', '(a|b)+[x]$^'), 'regex metacharacters are literal').toBe(true);
  });

  it('agrees with a dynamic-programming reference on 20,000 random cases (seeded)', () => {
    const next = prng(0x5eed);
    for (let i = 0; i < 20_000; i++) {
      const pattern = randomString(next, 'ab*?', 8);
      const text = randomString(next, 'ab', 10);
      const questionMark = next() < 0.8;
      expect(globMatch(pattern, text, { questionMark }), `${JSON.stringify(pattern)} vs ${JSON.stringify(text)} (? ${questionMark})`).toBe(
        reference(pattern, text, questionMark),
      );
    }
  });

  it('agrees with the regex it replaces, case folding included (seeded)', () => {
    const next = prng(42);
    for (let i = 0; i < 10_000; i++) {
      const pattern = randomString(next, 'aAbß.*?\nİ', 7);
      const text = randomString(next, 'aAbBß.\nİi', 9);
      const ignoreCase = next() < 0.5;
      expect(globMatch(pattern, text, { ignoreCase }), `${JSON.stringify(pattern)} vs ${JSON.stringify(text)} (i ${ignoreCase})`).toBe(
        regexReference(pattern, text, ignoreCase),
      );
    }
  });

  it('keeps idMatches semantics: only * is a wildcard', () => {
    expect(idMatches('iam-*', 'iam-root-mfa')).toBe(true);
    expect(idMatches('*', 'x')).toBe(true);
    expect(idMatches('s3-bucket-?', 's3-bucket-x')).toBe(false);
    expect(idMatches('arn:aws:s3:::logs-*', 'arn:aws:s3:::logs-2024')).toBe(true);
  });
});

/**
 * Hostile inputs: each of these made the regex-based matchers backtrack exponentially or quadratically per
 * starting point. No timing is asserted; a regression shows as vitest's timeout.
 */
describe('globMatch: hostile inputs finish', () => {
  const text = 'a'.repeat(50_000);

  it('*a*a*a...*b against 50,000 a', () => {
    expect(globMatch(`${'*a'.repeat(5_000)}*b`, text)).toBe(false);
    expect(globMatch(`${'*a'.repeat(5_000)}*`, text)).toBe(true);
  });

  it('*?*?*?...x (IAM action style) against a long action', () => {
    const pattern = `s3:${'*?'.repeat(2_000)}x`;
    expect(globMatch(pattern, `s3:${'G'.repeat(20_000)}`, { ignoreCase: true })).toBe(false);
    expect(globMatch(pattern, `s3:${'G'.repeat(4_000)}x`, { ignoreCase: true })).toBe(true);
  });

  it('a long run of a* against a bucket ARN that almost matches', () => {
    const pattern = `arn:aws:s3:::${'a*'.repeat(10_000)}b`;
    expect(globMatch(pattern, `arn:aws:s3:::${'a'.repeat(30_000)}`)).toBe(false);
    expect(globMatch(pattern, `arn:aws:s3:::${'a'.repeat(30_000)}b`)).toBe(true);
  });

  it('waiver-style resource globs and control-id filters', () => {
    expect(idMatches(`${'*x'.repeat(10_000)}*y`, 'x'.repeat(50_000))).toBe(false);
    expect(idMatches(`arn:aws:iam::*:user/${'*'.repeat(40_000)}z`, `arn:aws:iam::111111111111:user/${'z'.repeat(40_000)}`)).toBe(true);
  });

  it('the S3 policy functions with hostile Action and Resource strings', () => {
    const hostileAction = `s3:${'*?'.repeat(2_000)}x`;
    const hostileResource = `arn:aws:s3:::${'a*'.repeat(5_000)}`;
    const policy = {
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: [hostileAction], Resource: hostileResource },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [hostileResource, `${hostileResource}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    };
    expect(wildcardMatch(hostileAction, 's3:GetObject')).toBe(false);
    expect(policyAllowsPublicAccess(policy, 'any'), 'no S3 action ends in x').toBe(false);
    // The bucket name is all a's: the pattern's 5,000 a's need at least 5,000 of them.
    expect(policyDeniesInsecureTransport(policy, 'a'.repeat(63))).toBe(false);
    expect(policyAllowsPublicAccess({ Statement: [{ ...policy.Statement[0], Action: `s3:${'*?'.repeat(2_000)}` }] }, 'read')).toBe(false);
    expect(policyAllowsPublicAccess({ Statement: [{ ...policy.Statement[0], Action: `s3:${'*?'.repeat(4)}` }] }, 'read')).toBe(true);
  });
});
