import { identitySeeders } from './identity.js';
import { loggingDataSeeders } from './logging-data.js';
import { storageNetworkSeeders } from './storage-network.js';
import type { Seeder } from './types.js';

/** Every seeder, run per account and region by the demo and the integration tests. */
export const seeders: Seeder[] = [...identitySeeders, ...storageNetworkSeeders, ...loggingDataSeeders];
