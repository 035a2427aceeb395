import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { SeededIds, Seeder } from './types.js';

/** GuardDuty in one Region only: the primary for the management account, the other Region for member accounts. */
export const guarddutySeeder: Seeder = {
  service: 'guardduty',
  async seed(target) {
    const enabledHere = target.role === 'management' ? target.primary : !target.primary;
    if (!enabledHere) {
      return {};
    }
    const created = await target.clients.get(GuardDutyClient).send(new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES' }));
    const ids: SeededIds = {};
    if (created.DetectorId) ids['detector'] = created.DetectorId;
    return ids;
  },
};
