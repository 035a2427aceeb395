import { describeServiceControls } from './service-controls.js';

await describeServiceControls('iam', {
  securityHub: {
    'iam-access-analyzer-enabled': ['IAM.28'],
    'iam-access-key-age': ['IAM.3'],
    'iam-console-users-mfa': ['IAM.5'],
    'iam-no-admin-star-policies': ['IAM.1'],
    'iam-password-min-length': ['IAM.15'],
    'iam-password-policy-strong': ['IAM.7'],
    'iam-password-reuse': ['IAM.16'],
    'iam-root-access-keys': ['IAM.4'],
    'iam-root-hardware-mfa': ['IAM.6'],
    'iam-root-mfa': ['IAM.9'],
    'iam-unused-credentials': ['IAM.8'],
    'iam-unused-credentials-45': ['IAM.22'],
    'iam-user-no-policies': ['IAM.2'],
    'iam-users-mfa': ['IAM.19'],
  },
  collectorServices: ['iam', 'accessanalyzer'],
});
