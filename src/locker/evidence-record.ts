import type { EvidenceRecord } from '../core/types.js';
import { PackError, parsePackJson } from './records.js';

/**
 * Parses one evidence file as untrusted: the envelope must match schemas/evidence.schema.json, and the record must
 * say it is the file it was found as (collector, account, region), so a record copied to another account's path is
 * refused rather than judged as that account's evidence.
 */
export function parseEvidenceRecord(path: string, bytes: Buffer, expected?: { account: string; region: string; collector: string }): EvidenceRecord {
  const record = parsePackJson<EvidenceRecord>(path, bytes, 'evidence.schema.json');
  if (expected) {
    const found = `${record.account}/${record.region}/${record.collector.id}`;
    const wanted = `${expected.account}/${expected.region}/${expected.collector}`;
    if (found !== wanted) throw new PackError(`${path}: holds the evidence of ${found}, not of ${wanted} (fix: restore the pack from its original copy)`);
  }
  return record;
}
