import {
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  paginateDescribeRepositories,
  type GetRegistryScanningConfigurationCommandOutput,
  type Repository,
} from '@aws-sdk/client-ecr';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { globMatch } from '../../src/core/wildcard.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * The scan frequency the registry's scanning rules give a repository (the first rule with a WILDCARD filter that
 * matches its name; ECR applies the most specific, and CONTINUOUS_SCAN beats SCAN_ON_PUSH), or null when none does.
 */
export function registryScanFrequency(config: GetRegistryScanningConfigurationCommandOutput['scanningConfiguration'], repositoryName: string): string | null {
  const order = ['CONTINUOUS_SCAN', 'SCAN_ON_PUSH', 'MANUAL'];
  const matching = (config?.rules ?? [])
    .filter((rule) => (rule.repositoryFilters ?? []).some((f) => f.filterType === 'WILDCARD' && typeof f.filter === 'string' && globMatch(f.filter, repositoryName, { questionMark: false })))
    .map((rule) => rule.scanFrequency ?? 'MANUAL')
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return matching[0] ?? null;
}

async function describeRepository(
  client: ECRClient,
  region: string,
  repo: Repository,
  registry: () => Promise<GetRegistryScanningConfigurationCommandOutput>,
): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const name = repo.repositoryName as string;
  const [lifecycle, scanning] = await Promise.all([
    calls.call(`GetLifecyclePolicy:${name}`, ['lifecyclePolicyConfigured'], () => client.send(new GetLifecyclePolicyCommand({ repositoryName: name, registryId: repo.registryId })), [
      'LifecyclePolicyNotFoundException',
    ]),
    calls.call('GetRegistryScanningConfiguration', ['registryScanType', 'registryScanFrequency'], registry),
  ]);
  const config = scanning.ok ? scanning.value?.scanningConfiguration : undefined;
  const resource = calls.resource({
    id: repo.repositoryArn ?? name,
    type: 'AWS::ECR::Repository',
    name,
    region,
    scanOnPush: repo.imageScanningConfiguration?.scanOnPush === true,
    registryScanType: config?.scanType ?? null,
    registryScanFrequency: registryScanFrequency(config, name),
    imageTagMutability: repo.imageTagMutability ?? null,
    encryptionType: repo.encryptionConfiguration?.encryptionType ?? 'AES256',
    kmsKey: repo.encryptionConfiguration?.kmsKey ?? null,
    lifecyclePolicyConfigured: lifecycle.ok && typeof lifecycle.value?.lifecyclePolicyText === 'string' && lifecycle.value.lifecyclePolicyText !== '',
  });
  return { resource, raw: calls.raw };
}

/** ECR private repositories: image scanning (ECR.1), tag immutability (ECR.2) and lifecycle policy (ECR.3). */
export const ecrRepositories: Collector = {
  id: 'ecr.repositories',
  version: '1',
  title: 'ECR private repositories: scanning, tag immutability, lifecycle policy',
  scope: 'region',
  permissions: ['ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRegistryScanningConfiguration'],
  resourceSchema: resourceShape(
    'AWS::ECR::Repository',
    {
      scanOnPush: s.boolean,
      registryScanType: s.nullable(s.string),
      registryScanFrequency: s.nullable(s.string),
      imageTagMutability: s.nullable(s.string),
      encryptionType: s.string,
      kmsKey: s.nullable(s.string),
      lifecyclePolicyConfigured: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(ECRClient);
    const listed = await collectPages(paginateDescribeRepositories({ client, pageSize: 1000 }, {}), (p) => p.repositories);
    const repos = listed.items.filter((r) => typeof r.repositoryName === 'string').sort((a, b) => (a.repositoryName as string).localeCompare(b.repositoryName as string));
    // One registry-wide call, shared by every repository (its failure blinds only the registry fields).
    let registry: Promise<GetRegistryScanningConfigurationCommandOutput> | undefined;
    const registryOnce = (): Promise<GetRegistryScanningConfigurationCommandOutput> => (registry ??= client.send(new GetRegistryScanningConfigurationCommand({})));
    const described = await ctx.map(repos, (repo) => describeRepository(client, ctx.region, repo, registryOnce));
    const raw: Record<string, unknown> = { DescribeRepositories: listed.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
