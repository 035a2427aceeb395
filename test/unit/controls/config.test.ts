import { describeServiceControls } from './service-controls.js';

await describeServiceControls('config', {
  securityHub: { 'config-recording-enabled': ['Config.1'] },
});
