import { AccountClient, PutAlternateContactCommand } from '@aws-sdk/client-account';
import type { Seeder } from './types.js';

/** The management account has a security contact (once: the Account API is global), member accounts none. */
export const accountSeeder: Seeder = {
  service: 'account',
  async seed(target) {
    if (target.primary && target.role === 'management') {
      await target.clients
        .get(AccountClient)
        .send(new PutAlternateContactCommand({ AlternateContactType: 'SECURITY', Name: 'Security team', EmailAddress: 'security@example.com', PhoneNumber: '+1-555-0100', Title: 'SOC' }));
    }
    return {};
  },
};
