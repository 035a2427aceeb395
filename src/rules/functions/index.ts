import { commonFunctions } from './common.js';
import { dataFunctions } from './data.js';
import { iamFunctions } from './iam.js';
import { lambdaFunctions } from './lambda.js';
import { monitoringFunctions } from './monitoring.js';
import { networkFunctions } from './network.js';
import { s3Functions } from './s3.js';
import { resourcePolicyFunctions } from './resource-policy.js';
import type { CelFunction } from './types.js';

export type { CelFunction } from './types.js';

/** Every function a control's CEL may call. */
export const celFunctions: CelFunction[] = [
  ...commonFunctions,
  ...iamFunctions,
  ...s3Functions,
  ...networkFunctions,
  ...dataFunctions,
  ...resourcePolicyFunctions,
  ...monitoringFunctions,
  ...lambdaFunctions,
];
