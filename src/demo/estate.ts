import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { clientsFor } from '../collect/aws-access.js';
import { seeders } from './seed/index.js';
import type { AccountRole, SeededIds, Seeder, SeedTarget } from './seed/types.js';

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'];
export const DEMO_ROLE = 'OrganizationAccountAccessRole';

/** One seeded account: its role in the organisation and, per region, the ids its seeders recorded. */
export interface SeededAccount {
  account: string;
  role: AccountRole;
  ids: Record<string, SeededIds>;
}

export interface DemoEstate {
  management: string;
  member: string;
  regions: string[];
  /** The services whose seeders ran (the fixture files that describe the estate). */
  services: string[];
  accounts: SeededAccount[];
}

/** Creates the sample organisation (management + one member account) through the Organizations API. */
async function createOrganization(endpoint: string): Promise<{ management: string; member: string }> {
  const org = clientsFor({ account: 'management', endpoint, maxAttempts: 2 }).forRegion('us-east-1').get(OrganizationsClient);
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const management = created.Organization?.MasterAccountId;
  const request = await org.send(new CreateAccountCommand({ AccountName: 'workloads-prod', Email: 'aws-workloads-prod@example.com', RoleName: DEMO_ROLE }));
  const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus?.Id }));
  const member = status.CreateAccountStatus?.AccountId;
  if (!management || !member) throw new Error('moto did not return the organisation\'s account ids');
  return { management, member };
}

/**
 * Builds the demo estate against moto: an organisation, then every seeder in every account and region through
 * real API calls (member accounts through the assumed organisation role). Returns what was created, by stable
 * name; test/fixtures/estate/ says what the audit must find (src/demo/expectations.ts reads it).
 */
export async function buildDemoEstate(endpoint: string, regions = DEMO_REGIONS, use: readonly Seeder[] = seeders): Promise<DemoEstate> {
  const { management, member } = await createOrganization(endpoint);
  const accounts: SeededAccount[] = [];
  for (const [account, role] of [
    [management, 'management'],
    [member, 'member'],
  ] as const) {
    const clients = clientsFor({ account, endpoint, maxAttempts: 2, roleName: role === 'management' ? undefined : DEMO_ROLE });
    const ids: Record<string, SeededIds> = {};
    for (const region of regions) {
      const seeded: SeededIds = {};
      for (const seeder of use) {
        const target: SeedTarget = { account, role, region, primary: region === regions[0], clients: clients.forRegion(region), seeded: { ...seeded } };
        Object.assign(seeded, await seeder.seed(target));
      }
      ids[region] = seeded;
    }
    accounts.push({ account, role, ids });
  }
  return { management, member, regions, services: use.map((s) => s.service), accounts };
}
