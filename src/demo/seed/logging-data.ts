import type { Seeder } from './types.js';

export const loggingDataSeeders: Seeder[] = [];
