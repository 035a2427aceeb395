import { describeServiceControls } from './service-controls.js';

await describeServiceControls('lambda', {
  // Security Hub has no control for secrets in Lambda environment variables.
  securityHub: { 'lambda-env-no-secrets': [] },
});
