import { describeServiceControls } from './service-controls.js';

await describeServiceControls('rds');
