import { GetDetectorCommand, GuardDutyClient, paginateListDetectors } from '@aws-sdk/client-guardduty';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { accountResourceId, collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** The fields GetDetector fills: the detector list and the count derived from it. */
const DETECTOR_FIELDS = ['detectors', 'enabledDetectorCount'];

/** GuardDuty detectors in one region, as an account-level fact: GuardDuty.1 wants an ENABLED detector per region. */
export const guarddutyDetectors: Collector = {
  id: 'guardduty.detectors',
  version: '1',
  title: 'GuardDuty detectors and their status',
  scope: 'region',
  permissions: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  resourceSchema: resourceShape(
    'AWS::::Account',
    {
      detectors: s.array(s.object({ id: s.string, status: s.nullable(s.string), findingPublishingFrequency: s.nullable(s.string), createdAt: s.nullable(s.string) })),
      enabledDetectorCount: s.integer,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(GuardDutyClient);
    const listed = await collectPages(paginateListDetectors({ client, pageSize: 50 }, {}), (p) => p.DetectorIds);
    // One account resource summarises every detector, so a refused GetDetector (for any of them) leaves out the
    // detector list and the count; the account resource and its error are kept.
    const calls = new ResourceCalls();
    const detectors = await ctx.map([...listed.items].sort((a, b) => a.localeCompare(b)), async (detectorId) => {
      const answer = await calls.call(`GetDetector:${detectorId}`, DETECTOR_FIELDS, () => client.send(new GetDetectorCommand({ DetectorId: detectorId })));
      const detector = answer.ok ? answer.value : undefined;
      return {
        id: detectorId,
        status: detector?.Status ?? null,
        findingPublishingFrequency: detector?.FindingPublishingFrequency ?? null,
        createdAt: detector?.CreatedAt ?? null,
      };
    });
    const raw: Record<string, unknown> = { ListDetectors: listed.pages.map(stripMetadata) };
    for (const [label, value] of Object.entries(calls.raw).sort(([a], [b]) => a.localeCompare(b))) raw[label] = value;
    return {
      raw,
      resources: [
        calls.resource({
          id: accountResourceId(ctx.account),
          type: 'AWS::::Account',
          name: ctx.account,
          region: ctx.region,
          detectors,
          enabledDetectorCount: detectors.filter((d) => d.status === 'ENABLED').length,
        }),
      ],
    };
  },
};
