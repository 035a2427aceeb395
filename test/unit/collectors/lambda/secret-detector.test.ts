import { describe, expect, it } from 'vitest';
import { detectSecret, looksHighEntropy, shannonEntropy } from '../../../../collectors/lambda/secret-detector.js';

describe('detectSecret', () => {
  it.each([
    ['DB_PASSWORD', 'hunter2', 'secret-name'],
    ['STRIPE_API_KEY', 'abc', 'secret-name'],
    ['GITHUB_TOKEN', 'x', 'secret-name'],
    ['client_secret', 'value', 'secret-name'],
    ['JWT_PRIVATE_KEY', 'abc', 'secret-name'],
    ['AWS_SECRET_ACCESS_KEY', 'abc', 'secret-name'],
    ['UPSTREAM', 'AKIAIOSFODNN7EXAMPLE', 'aws-access-key-id'],
    ['SESSION', 'ASIAIOSFODNN7EXAMPLE', 'aws-access-key-id'],
    ['CERT', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...', 'private-key'],
    ['CERT2', '-----BEGIN PRIVATE KEY-----', 'private-key'],
    ['DATABASE_URL', 'postgres://app:s3cr3t@db.internal:5432/app', 'url-credentials'],
    ['BEARER', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc', 'jwt'],
    ['UPSTREAM_SIG', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'high-entropy'],
    ['HEX', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'high-entropy'],
  ])('%s is flagged (%s)', (name, value, reason) => {
    const verdict = detectSecret(name, value);
    expect(verdict.looksSecret).toBe(true);
    expect(verdict.reasons).toContain(reason);
  });

  it.each([
    ['LOG_LEVEL', 'info'],
    ['TABLE_NAME', 'orders-prod'],
    ['DB_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'],
    ['API_KEY_PARAMETER', '/prod/api-key'],
    ['TOKEN_URL', 'https://auth.example.com/oauth2/token'],
    ['PASSWORD', ''],
    ['DB_PASSWORD', '{{resolve:secretsmanager:db}}'],
    ['REQUEST_ID', '123e4567-e89b-12d3-a456-426614174000'],
    ['DB_HOST', 'orders-db-1.c9akciq32xyz.us-east-1.rds.amazonaws.com'],
    ['PYTHONPATH', '/opt/python/lib/python3.12/site-packages:/var/task'],
    ['GREETING', 'hello world this is a fairly long sentence of words'],
    ['ENDPOINT', 'https://api.example.com/v1/orders'],
  ])('%s is not flagged', (name, value) => {
    expect(detectSecret(name, value)).toEqual({ looksSecret: false, reasons: [] });
  });
});

describe('looksHighEntropy', () => {
  it('needs at least 32 characters', () => expect(looksHighEntropy('a1B2c3D4e5F6g7H8i9J0')).toBe(false));
  it('ignores single-class strings', () => expect(looksHighEntropy('abcdefghijklmnopqrstuvwxyzabcdefghij')).toBe(false));
  it('computes Shannon entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('')).toBe(0);
  });
});
