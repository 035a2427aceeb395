import { describeServiceControls } from './service-controls.js';

// cloudtrail-bucket-access-logging (CIS 3.4) joins each trail with its bucket from s3.buckets.
await describeServiceControls('cloudtrail', { collectorServices: ['cloudtrail', 's3'] });
