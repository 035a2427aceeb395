import { describe, expect, it } from 'vitest';
import { decodePolicyDocument } from '../../../../collectors/iam/policy-document.js';

const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded documents IAM returns, and plain JSON', () => {
    expect(decodePolicyDocument(encoded(ADMIN))).toEqual(ADMIN);
    expect(decodePolicyDocument(JSON.stringify(ADMIN))).toEqual(ADMIN);
    expect(decodePolicyDocument(undefined)).toBeNull();
  });
  it('throws on a document that is not JSON', () => {
    expect(() => decodePolicyDocument('%7Bnot-json')).toThrow(/not valid JSON/);
  });
});
