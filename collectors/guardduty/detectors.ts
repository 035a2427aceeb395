import { GetDetectorCommand, GuardDutyClient, paginateListDetectors } from '@aws-sdk/client-guardduty';
import { accountResourceId, collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

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
    const raw: Record<string, unknown> = { ListDetectors: listed.pages.map(stripMetadata) };
    const detectors = await ctx.map(listed.items, async (detectorId) => {
      const detector = await client.send(new GetDetectorCommand({ DetectorId: detectorId }));
      raw[`GetDetector:${detectorId}`] = stripMetadata(detector);
      return {
        id: detectorId,
        status: detector.Status ?? null,
        findingPublishingFrequency: detector.FindingPublishingFrequency ?? null,
        createdAt: detector.CreatedAt ?? null,
      };
    });
    detectors.sort((a, b) => a.id.localeCompare(b.id));
    return {
      raw,
      resources: [
        {
          id: accountResourceId(ctx.account),
          type: 'AWS::::Account',
          name: ctx.account,
          region: ctx.region,
          detectors,
          enabledDetectorCount: detectors.filter((d) => d.status === 'ENABLED').length,
        },
      ],
    };
  },
};
