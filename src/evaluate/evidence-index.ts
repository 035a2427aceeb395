import type { EvidenceRecord } from '../core/types.js';

export interface EvidenceEntry {
  record: EvidenceRecord;
  /** Path inside the pack, e.g. evidence/123456789012/us-east-1/ec2.volumes.json. */
  path: string;
  sha256: string;
}

/** The locker's evidence by account, region and collector: all that evaluation may read. */
export class EvidenceIndex {
  private readonly entries = new Map<string, EvidenceEntry>();

  add(entry: EvidenceEntry): void {
    const { account, region, collector } = entry.record;
    this.entries.set(key(account, region, collector.id), entry);
  }

  get(account: string, region: string, collectorId: string): EvidenceEntry | undefined {
    return this.entries.get(key(account, region, collectorId));
  }

  all(): EvidenceEntry[] {
    return [...this.entries.values()];
  }
}

function key(account: string, region: string, collector: string): string {
  return `${account}|${region}|${collector}`;
}

export { evidencePath } from '../locker/layout.js';
