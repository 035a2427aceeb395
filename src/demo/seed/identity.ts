import type { Seeder } from './types.js';

export const identitySeeders: Seeder[] = [];
