import { describeServiceControls } from './service-controls.js';

await describeServiceControls('iam', {
  collectorServices: ['iam', 'accessanalyzer'],
  fixtures: ['iam', 'server-certificates'],
});
