/** Shared fixtures for the Config item normaliser tests (issue 11). */
import { expect } from 'vitest';
import type { ConfigItem, Resource } from '../../../../src/core/types.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** A decoded item as ConfigSource hands it over (configuration and supplementary values already JSON-parsed). */
export function configItem(resourceType: string, resourceId: string, configuration: unknown, extra: Partial<ConfigItem> = {}): ConfigItem {
  return {
    resourceType,
    resourceId,
    accountId: ACCOUNT,
    awsRegion: REGION,
    configurationItemCaptureTime: '2026-11-30T10:00:00.000Z',
    configurationItemStatus: 'OK',
    configurationStateId: '1732960800000',
    configuration,
    supplementaryConfiguration: {},
    ...extra,
  };
}

/** The live resource without the fields the item lacked. */
export function without(resource: Resource, fields: string[]): Resource {
  const out: Resource = { ...resource };
  for (const f of fields) delete out[f];
  return out;
}

export const HOSTILE: unknown[] = [123, -1.5, 'x'.repeat(1_000_000), '', true, {}, [], [null], [{}], [123], { value: 7 }, null];

type FromConfig = (item: ConfigItem) => { resource: Resource; missing: string[] } | undefined;

/**
 * Every top-level configuration key replaced by each hostile value, and the whole configuration replaced: never a
 * throw; a result is either no resource or one that keeps id and type and holds none of the fields it lists missing.
 */
export function expectHostileSafe(fromConfig: FromConfig, base: ConfigItem): void {
  const config = base.configuration as Record<string, unknown>;
  const variants: ConfigItem[] = [undefined, null, 'text', 42, [], [config], {}].map((configuration) => ({ ...base, configuration }));
  for (const key of Object.keys(config)) for (const value of HOSTILE) variants.push({ ...base, configuration: { ...config, [key]: value } });
  for (const key of Object.keys(config)) {
    const rest = { ...config };
    delete rest[key];
    variants.push({ ...base, configuration: rest });
  }
  variants.push({ ...base, accountId: 'x'.repeat(100_000) }, { ...base, awsRegion: '../../etc' }, { ...base, supplementaryConfiguration: null as never });
  for (const variant of variants) {
    const out = fromConfig(variant);
    if (!out) continue;
    expect(typeof out.resource.id).toBe('string');
    expect(out.resource.type).toBe(base.resourceType);
    for (const f of out.missing) expect(out.resource).not.toHaveProperty(f);
    expect([...out.missing].sort()).toEqual(out.missing);
  }
  for (const configuration of [undefined, null, 'text', 42, [], {}]) expect(fromConfig({ ...base, configuration })).toBeUndefined();
}
