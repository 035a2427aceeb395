import type { CelFunction } from './types.js';

export const iamFunctions: CelFunction[] = [];
