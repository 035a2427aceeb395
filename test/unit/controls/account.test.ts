import { describeServiceControls } from './service-controls.js';

await describeServiceControls('account', {
  securityHub: { 'account-security-contact': ['Account.1'] },
});
