import { describeServiceControls } from './service-controls.js';

await describeServiceControls('kms', {
  securityHub: { 'kms-key-rotation': ['KMS.4'] },
});
