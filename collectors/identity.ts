import { analyzers } from './accessanalyzer/analyzers.js';
import { alternateContact } from './account/alternate-contact.js';
import { accountSummary } from './iam/account-summary.js';
import { authorizationDetails } from './iam/authorization-details.js';
import { credentialReport } from './iam/credential-report.js';
import { passwordPolicy } from './iam/password-policy.js';
import { virtualMfaDevices } from './iam/virtual-mfa-devices.js';
import type { Collector } from './types.js';

/** Identity domain: IAM (global, account scope), account contacts, Access Analyzer (per region). */
export const identityCollectors: Collector[] = [
  accountSummary,
  credentialReport,
  passwordPolicy,
  authorizationDetails,
  virtualMfaDevices,
  alternateContact,
  analyzers,
];
