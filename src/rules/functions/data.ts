import type { CelFunction } from './types.js';

export const dataFunctions: CelFunction[] = [];
