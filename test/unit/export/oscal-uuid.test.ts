import { describe, expect, it } from 'vitest';
import { AUDITPACK_OSCAL_NAMESPACE, oscalUuid, uuidV5 } from '../../../src/export/oscal/uuid.js';

/** The OSCAL schema's UUID pattern (versions 4 and 5, RFC 4122 variant). */
const OSCAL_UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;

describe('name-based UUIDs for OSCAL', () => {
  it('matches RFC 4122 version 5 (Python uuid.uuid5 vectors)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(AUDITPACK_OSCAL_NAMESPACE).toBe('2bdb4dd4-f686-59f9-b008-89c5c3b049b9');
  });

  it('is stable, distinct per input, and matches the schema pattern', () => {
    expect(oscalUuid('finding', 'run-1', 'iam-root-mfa')).toBe(oscalUuid('finding', 'run-1', 'iam-root-mfa'));
    expect(oscalUuid('finding', 'run-1', 'iam-root-mfa')).not.toBe(oscalUuid('finding', 'run-2', 'iam-root-mfa'));
    // Parts are kept apart: no ambiguity from joining.
    expect(oscalUuid('a:b', 'c')).not.toBe(oscalUuid('a', 'b:c'));
    for (let i = 0; i < 200; i++) expect(oscalUuid('x', String(i))).toMatch(OSCAL_UUID);
  });

  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow(/not a UUID/);
  });
});
