import type { Command } from 'commander';
import { collectors as allCollectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../catalog/load.js';
import { loadReportDefinition } from '../../report/definition.js';
import { pushToSecurityHub } from '../../export/securityhub/push.js';
import { assessPack, checkParamOverrides, collectorsFor, selectControls } from '../../pipeline/assess.js';
import { collect, type CollectOptions } from '../../pipeline/collect.js';
import { renderReports } from '../../pipeline/report.js';
import { loadKeys } from '../../sign/keys.js';
import { loadAttestations } from '../../workflow/attestations.js';
import { loadWaivers } from '../../workflow/waivers.js';
import { createProgress } from '../progress.js';
import { findConfig, mergeConfig } from '../run-config.js';
import { exitCodeFor, formatSummary } from '../summary.js';
import { trustFrom, type TrustFlags } from '../trust.js';
import type { AssessFlags, RunFlags, ScopeFlags } from '../flags.js';
import { formatPushOutcome, PUSH_FAILED_EXIT_CODE } from './push.js';
import { printReportOutcome, signingFrom } from './reporting.js';

/** What `run`, `collect` and `assess` do, loaded only when one of them runs (audit.ts defines the commands). */

export async function runCollect(flags: ScopeFlags, collectorsToRun: CollectOptions['collectors'], controlIds?: string[]): Promise<string> {
  const progress = createProgress();
  try {
    const { packDir } = await collect({
      out: flags.out,
      regions: flags.regions,
      accounts: flags.accounts,
      organization: flags.organization,
      roleName: flags.roleName,
      endpoint: flags.endpoint,
      maxAttempts: flags.maxAttempts,
      concurrency: flags.concurrency,
      collectors: collectorsToRun,
      attestationsDir: flags.attestations,
      ...(controlIds?.length ? { controlIds } : {}),
      onPlan: (totals) => progress.begin(totals),
      onEvent: (e) => progress.onEvent(e),
    });
    return packDir;
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
  const packDir = await runCollect(flags, flags.control?.length ? collectorsFor(selected) : undefined, flags.control);
  const code = await runAssess(packDir, flags);
  if (definition) printReportOutcome(await renderReports(packDir, { definition, ...signingFrom(flags), sealedThisRun: true }));
  let pushCode = 0;
  if (flags.pushSecurityhub) {
    const previousPack = config?.securityHub?.previous;
    const outcome = await pushToSecurityHub(packDir, { roleName: flags.roleName, endpoint: flags.endpoint, maxAttempts: flags.maxAttempts, ...(previousPack ? { previousPack } : {}) });
    process.stderr.write(`${formatPushOutcome(outcome)}\n`);
    if (outcome.totals.failed > 0) pushCode = PUSH_FAILED_EXIT_CODE;
  }
  process.exitCode = Math.max(code, pushCode);
}
