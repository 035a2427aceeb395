import { describeServiceControls } from './service-controls.js';

await describeServiceControls('guardduty', {
  securityHub: { 'guardduty-enabled': ['GuardDuty.1'] },
});
