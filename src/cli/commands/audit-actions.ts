import type { Command } from 'commander';
import { collectors as allCollectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../catalog/load.js';
import { loadReportDefinition } from '../../report/definition.js';
import { pushToSecurityHub } from '../../export/securityhub/push.js';
import { assessPack, checkParamOverrides, collectorsFor, selectControls } from '../../pipeline/assess.js';
import type { CollectionEvent } from '../../collect/collect.js';
import { collect, type CollectOptions } from '../../pipeline/collect.js';
import { resumeCollect } from '../../pipeline/resume.js';
import { renderReports } from '../../pipeline/report.js';
import { loadKeys } from '../../sign/keys.js';
import { loadAttestations } from '../../workflow/attestations.js';
import { loadWaivers } from '../../workflow/waivers.js';
import { createProgress } from '../progress.js';
import { resumeEndLine, resumeStartLines } from '../resume-lines.js';
import { findConfig, mergeConfig } from '../run-config.js';
import { exitCodeFor, formatSummary } from '../summary.js';
import { trustFrom, type TrustFlags } from '../trust.js';
import type { AssessFlags, RunFlags, ScopeFlags } from '../flags.js';
import { formatPushOutcome, PUSH_FAILED_EXIT_CODE } from './push.js';
import { printReportOutcome, signingFrom } from './reporting.js';

/** What `run`, `collect` and `assess` do, loaded only when one of them runs (audit.ts defines the commands). */

export interface CollectedPack {
  packDir: string;
  /** The role assumed in other accounts: the flag's, or on a resume the interrupted run's. */
  roleName?: string;
}

/** `collect` and the collection of `run`: a new pack, or with --resume the rest of an interrupted one. */
export async function runCollect(flags: ScopeFlags, collectorsToRun: CollectOptions['collectors'], controlIds?: string[]): Promise<CollectedPack> {
  const progress = createProgress();
  const scope = {
    regions: flags.regions,
    accounts: flags.accounts,
    organization: flags.organization,
    roleName: flags.roleName,
    endpoint: flags.endpoint,
    maxAttempts: flags.maxAttempts,
    concurrency: flags.concurrency,
    attestationsDir: flags.attestations,
    source: flags.source,
    configMaxAge: flags.configMaxAge,
    ...(flags.configAggregator ? { configAggregator: flags.configAggregator } : {}),
    ...(flags.aggregatorRegion ? { aggregatorRegion: flags.aggregatorRegion } : {}),
    ...(controlIds?.length ? { controlIds } : {}),
    onPlan: (totals: Map<string, number>) => progress.begin(totals),
    onEvent: (e: CollectionEvent) => progress.onEvent(e),
  };
  try {
    if (flags.resume) {
      const outcome = await resumeCollect({ ...scope, pack: flags.resume, onResume: (r) => process.stderr.write(`${resumeStartLines(r).join('\n')}\n`) });
      await progress.end();
      process.stderr.write(`${resumeEndLine(outcome.resume)}\n`);
      return { packDir: outcome.packDir, ...(outcome.roleName ? { roleName: outcome.roleName } : {}) };
    }
    const { packDir } = await collect({ ...scope, out: flags.out, collectors: collectorsToRun });
    return { packDir, ...(flags.roleName ? { roleName: flags.roleName } : {}) };
  } finally {
    await progress.end();
  }
}

export async function runAssess(packDir: string, flags: AssessFlags & TrustFlags): Promise<number> {
  const results = await assessPack(packDir, { controlsDir: flags.controlsDir, controlIds: flags.control, params: flags.param, waiversFile: flags.waivers, trust: await trustFrom(flags) });
  process.stdout.write(flags.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatSummary(results, packDir)}\n`);
  return exitCodeFor(results, flags.failOn);
}

/** `auditpack run`: configuration, catalog, definition and keys are all checked before the first AWS call. */
export async function runAudit(given: RunFlags, cmd: Command): Promise<void> {
  // Validate configuration and catalog before touching AWS: a bad control must not cost a collection.
  const config = await findConfig(given.config);
  const catalog = await loadCatalog(given.controlsDir, allCollectors);
  const flags = mergeConfig(given, cmd, config, catalog);
  const selected = selectControls(catalog, flags.control);
  checkParamOverrides(catalog, flags.param);
  if (flags.waivers) await loadWaivers(flags.waivers, new Set(catalog.controls.map((c) => c.definition.id)));
  if (flags.attestations) await loadAttestations(flags.attestations);
  // Report definition and keys are checked up front too: a typo must not surface after a long collection.
  const loaded = flags.report ? await loadReportDefinition(flags.definition) : undefined;
  const definition = loaded && config?.organisation ? { ...loaded, organisation: config.organisation } : loaded;
  if (flags.report && flags.keys && flags.sign) await loadKeys(flags.keys);
  // A resume takes its collectors from the interrupted run's plan; --control must then agree with it (resume.ts).
  const { packDir, roleName } = await runCollect(flags, flags.control?.length ? collectorsFor(selected) : undefined, flags.control);
  const code = await runAssess(packDir, flags);
  if (definition) printReportOutcome(await renderReports(packDir, { definition, ...signingFrom(flags), sealedThisRun: true }));
  let pushCode = 0;
  if (flags.pushSecurityhub) {
    const previousPack = config?.securityHub?.previous;
    const outcome = await pushToSecurityHub(packDir, { roleName, endpoint: flags.endpoint, maxAttempts: flags.maxAttempts, ...(previousPack ? { previousPack } : {}) });
    process.stderr.write(`${formatPushOutcome(outcome)}\n`);
    if (outcome.totals.failed > 0) pushCode = PUSH_FAILED_EXIT_CODE;
  }
  process.exitCode = Math.max(code, pushCode);
}
