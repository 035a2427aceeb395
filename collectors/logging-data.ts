import type { Collector } from './types.js';

export const loggingDataCollectors: Collector[] = [];
