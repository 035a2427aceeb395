import { describeServiceControls } from './service-controls.js';

await describeServiceControls('efs', {
  securityHub: { 'efs-encrypted': ['EFS.1', 'EFS.8'] },
});
