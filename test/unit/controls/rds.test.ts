import { describeServiceControls } from './service-controls.js';

await describeServiceControls('rds', {
  securityHub: { 'rds-not-public': ['RDS.2'], 'rds-storage-encrypted': ['RDS.3'] },
});
