import type { ClientProvider } from '../../core/collector.js';
import type { Status } from '../../core/types.js';

/** Where a seeder creates resources: one account (through its own credentials) and one region. */
export interface SeedTarget {
  account: string;
  region: string;
  /** Region-scoped seeders run once per region; `primary` is true for the first region (global resources go there). */
  primary: boolean;
  clients: ClientProvider;
}

/** What the seeded estate must produce: the integration tests and the demo check these exactly. */
export interface Expectation {
  control: string;
  account: string;
  region: string;
  /** Exact resourceId of the result. */
  resourceId: string;
  status: Status;
}

export type Seeder = (target: SeedTarget) => Promise<Expectation[]>;
