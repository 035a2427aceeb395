import { describeServiceControls } from './service-controls.js';

await describeServiceControls('cloudtrail', {
  securityHub: {
    'cloudtrail-kms-encryption': ['CloudTrail.2'],
    'cloudtrail-log-file-validation': ['CloudTrail.4'],
    'cloudtrail-multi-region-enabled': ['CloudTrail.1'],
  },
});
