import type { Collector } from './types.js';

export const storageNetworkCollectors: Collector[] = [];
