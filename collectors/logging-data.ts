import { cloudtrailTrails } from './cloudtrail/trails.js';
import { configRecorders } from './config/recorders.js';
import { efsFileSystems } from './efs/file-systems.js';
import { guarddutyDetectors } from './guardduty/detectors.js';
import { kmsKeys } from './kms/keys.js';
import { lambdaFunctions } from './lambda/functions.js';
import { rdsInstances } from './rds/instances.js';
import { secretsmanagerSecrets } from './secretsmanager/secrets.js';
import type { Collector } from './types.js';

/** Logging, detection and data-service collectors (all region scope). */
export const loggingDataCollectors: Collector[] = [
  cloudtrailTrails,
  configRecorders,
  guarddutyDetectors,
  rdsInstances,
  kmsKeys,
  efsFileSystems,
  secretsmanagerSecrets,
  lambdaFunctions,
];
