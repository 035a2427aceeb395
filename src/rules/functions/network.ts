import type { CelFunction } from './types.js';

export const networkFunctions: CelFunction[] = [];
