import type { ConfigurationRecorder, ConfigurationRecorderStatus } from '@aws-sdk/client-config-service';

/**
 * Whether the Config recorders of one account and region record a resource type continuously (`--source auto`
 * uses Config only then). A recorder counts when its status says it is recording and its last run did not fail.
 */

/** IAM types recorded only with includeGlobalResourceTypes (items in Region `global`). */
export function isGlobalType(resourceType: string): boolean {
  return resourceType.startsWith('AWS::IAM::');
}

function recordsType(recorder: ConfigurationRecorder, resourceType: string): boolean {
  const group = recorder.recordingGroup;
  // No recording group: the default, every supported regional type.
  if (!group) return !isGlobalType(resourceType);
  const strategy = group.recordingStrategy?.useOnly;
  if (strategy === 'EXCLUSION_BY_RESOURCE_TYPES') return !(group.exclusionByResourceTypes?.resourceTypes ?? []).includes(resourceType as never);
  if (strategy === 'INCLUSION_BY_RESOURCE_TYPES') return (group.resourceTypes ?? []).includes(resourceType as never);
  if (group.allSupported === true || strategy === 'ALL_SUPPORTED_RESOURCE_TYPES') return !isGlobalType(resourceType) || group.includeGlobalResourceTypes === true;
  return (group.resourceTypes ?? []).includes(resourceType as never);
}

function continuous(recorder: ConfigurationRecorder, resourceType: string): boolean {
  const mode = recorder.recordingMode;
  const override = mode?.recordingModeOverrides?.find((o) => (o.resourceTypes ?? []).includes(resourceType as never));
  // Absent recordingMode means continuous recording (the only mode before daily recording existed).
  return (override?.recordingFrequency ?? mode?.recordingFrequency ?? 'CONTINUOUS') === 'CONTINUOUS';
}

/** The decision for one account and region: which types some active recorder records continuously. */
export function recordsContinuously(recorders: readonly ConfigurationRecorder[], statuses: readonly ConfigurationRecorderStatus[], resourceType: string): boolean {
  return recorders.some((recorder) => {
    const status = statuses.find((s) => s.name === recorder.name);
    if (status?.recording !== true || status.lastStatus?.toUpperCase() === 'FAILURE') return false;
    return recordsType(recorder, resourceType) && continuous(recorder, resourceType);
  });
}
