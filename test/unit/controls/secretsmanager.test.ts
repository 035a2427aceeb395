import { describeServiceControls } from './service-controls.js';

await describeServiceControls('secretsmanager', {
  securityHub: { 'secretsmanager-rotation-enabled': ['SecretsManager.1'] },
});
