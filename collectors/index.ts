import { accountSummary } from './iam/account-summary.js';
import type { Collector } from './types.js';

/** Every collector auditpack ships, in a stable order. */
export const collectors: Collector[] = [accountSummary];
