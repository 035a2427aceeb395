import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { clientsFor } from '../collect/aws-access.js';
import { seeders } from './seed/index.js';
import type { Expectation, Seeder } from './seed/types.js';

export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'];
export const DEMO_ROLE = 'OrganizationAccountAccessRole';

export interface DemoEstate {
  management: string;
  member: string;
  regions: string[];
  expectations: Expectation[];
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
 * real API calls (member accounts through the assumed organisation role). Returns what the audit must find.
 */
export async function buildDemoEstate(endpoint: string, regions = DEMO_REGIONS, use: readonly Seeder[] = seeders): Promise<DemoEstate> {
  const { management, member } = await createOrganization(endpoint);
  const expectations: Expectation[] = [];
  for (const account of [management, member]) {
    const clients = clientsFor({ account, endpoint, maxAttempts: 2, roleName: account === management ? undefined : DEMO_ROLE });
    for (const region of regions) {
      const target = { account, region, primary: region === regions[0], clients: clients.forRegion(region) };
      for (const seed of use) expectations.push(...(await seed(target)));
    }
  }
  return { management, member, regions, expectations };
}
