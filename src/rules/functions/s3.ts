import type { CelFunction } from './types.js';

export const s3Functions: CelFunction[] = [];
