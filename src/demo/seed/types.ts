import type { ClientProvider } from '../../core/collector.js';

/** An account's place in the demo organisation: seeders give the management account the hardened posture. */
export type AccountRole = 'management' | 'member';

/** Stable names (`vpc/app`, `key/auditpack-logs`) → the ids AWS gave what a seeder created. */
export type SeededIds = Record<string, string>;

/** Where a seeder creates resources: one account (through its own credentials) and one region. */
export interface SeedTarget {
  account: string;
  role: AccountRole;
  region: string;
  /** Region-scoped seeders run once per region; `primary` is true for the first region (global resources go there). */
  primary: boolean;
  clients: ClientProvider;
  /** What the seeders that ran before recorded in this account and region (a seeder reads the ids it `needs`). */
  seeded: Readonly<SeededIds>;
}

/** One AWS service's part of the demo estate. */
export interface Seeder {
  /** The service (the folder under collectors/ and controls/, and the fixture file test/fixtures/estate/<service>.yaml). */
  service: string;
  /** Services whose seeders must run first in the same account and region (their ids are read from `seeded`). */
  needs?: readonly string[];
  seed(target: SeedTarget): Promise<SeededIds>;
}
