import { accountSummary } from './iam/account-summary.js';
import type { Collector } from './types.js';

export const identityCollectors: Collector[] = [accountSummary];
