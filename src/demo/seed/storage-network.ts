import type { Seeder } from './types.js';

export const storageNetworkSeeders: Seeder[] = [];
