import { identityCollectors } from './identity.js';
import { loggingDataCollectors } from './logging-data.js';
import { storageNetworkCollectors } from './storage-network.js';
import type { Collector } from './types.js';

/** Every collector auditpack ships, in a stable order. */
export const collectors: Collector[] = [...identityCollectors, ...storageNetworkCollectors, ...loggingDataCollectors];
