import type { Command } from 'commander';
import { collectors as allCollectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../catalog/load.js';
import { loadReportDefinition, type ReportDefinition } from '../../report/definition.js';
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
import { isS3Location, withOptionalPackInput, withPackOutput, withPackUpdate } from '../../store/location.js';
import { storeOptionsFrom } from '../store-flags.js';
import { UserError } from '../../core/errors.js';
import { basename } from 'node:path';
import { printJson } from '../json-out.js';

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
    maxCalls: flags.maxCalls,
    attestationsDir: flags.attestations,
    source: flags.source,
    configMaxAge: flags.configMaxAge,
    ...(flags.configAggregator ? { configAggregator: flags.configAggregator } : {}),
    ...(flags.aggregatorRegion ? { aggregatorRegion: flags.aggregatorRegion } : {}),
    ...(controlIds?.length ? { controlIds } : {}),
    ...(flags.shard ? { shard: flags.shard } : {}),
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

/** `collect`: a new pack under --out (a folder, or s3://bucket/prefix: staged locally, then published). */
export async function collectCommand(flags: ScopeFlags): Promise<void> {
  if (flags.resume && isS3Location(flags.out)) throw new UserError('--resume finishes a local pack; --out s3://... is not used with it (fix: resume locally, then publish a new run, or drop --out)');
  const { location } = await withPackOutput(flags.out, storeOptionsFrom(flags), async (parent) => runCollect({ ...flags, out: parent }, undefined));
  process.stdout.write(`evidence pack: ${location}\nnext: auditpack assess ${location}\n`);
}

/** Assesses the local pack folder `packDir`; `shownAs` is how the user named it (an s3:// location). */
async function assessAt(packDir: string, flags: AssessFlags & TrustFlags & { shard?: unknown }, shownAs: string = packDir): Promise<number> {
  const results = await assessPack(packDir, { controlsDir: flags.controlsDir, controlIds: flags.control, params: flags.param, waiversFile: flags.waivers, trust: await trustFrom(flags) });
  if (flags.json) await printJson(results);
  else process.stdout.write(`${formatSummary(results, shownAs)}\n`);
  return exitCodeFor(results, flags.failOn, flags.shard === undefined);
}

/** `assess PACK`: a local folder, or an s3:// pack (downloaded, assessed, the changed files written back). */
export async function runAssess(pack: string, flags: AssessFlags & TrustFlags): Promise<number> {
  return withPackUpdate(pack, 'assess', (dir) => assessAt(dir, flags, pack), storeOptionsFrom(flags));
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
  // The store is checked before the collection too (bucket reachable, Object Lock when retention is asked for).
  if (flags.resume && isS3Location(flags.out)) throw new UserError('--resume finishes a local pack; --out s3://... is not used with it (fix: resume locally, or drop --out)');
  const store = storeOptionsFrom(flags);
  const codes = await withPackOutput(flags.out, store, (parent) => auditInto(parent, flags, selected, definition, config?.securityHub?.previous));
  // The summary names the pack; with --json stdout is the results document, so the location goes to stderr.
  if (flags.json && isS3Location(flags.out)) process.stderr.write(`evidence pack: ${codes.location}\n`);
  // A shard's ERROR verdicts do not make it exit 3 (assessAt): they are provisional until `merge` assesses the whole
  // organisation (and exits 3 itself); an engine would otherwise retry the shard or cancel the merge.
  process.exitCode = Math.max(codes.code, codes.pushCode);
}

/** The collection, assessment, reports and push of `run`, into a pack under `parent` (a local or staging folder). */
async function auditInto(parent: string, flags: RunFlags, selected: ReturnType<typeof selectControls>, definition: ReportDefinition | undefined, previousPack: string | undefined): Promise<{ packDir: string; code: number; pushCode: number }> {
  // A resume takes its collectors from the interrupted run's plan; --control must then agree with it (resume.ts).
  const { packDir, roleName } = await runCollect({ ...flags, out: parent }, flags.control?.length ? collectorsFor(selected) : undefined, flags.control);
  const shownAs = isS3Location(flags.out) ? `${flags.out.replace(/\/+$/, '')}/${basename(packDir)}` : packDir;
  const code = await assessAt(packDir, flags, shownAs);
  if (definition) {
    const { previous, history, ...rest } = flags;
    await withOptionalPackInput(previous, 'compare with', (previousDir) =>
      withOptionalPackInput(history, 'chart the history of', async (historyDir) => {
        printReportOutcome(await renderReports(packDir, { definition, ...signingFrom({ ...rest, ...(previousDir ? { previous: previousDir } : {}), ...(historyDir ? { history: historyDir } : {}) }), sealedThisRun: true }));
      }),
    );
  }
  let pushCode = 0;
  if (flags.pushSecurityhub) {
    const outcome = await withOptionalPackInput(previousPack, 'compare with', (previousDir) => pushToSecurityHub(packDir, { roleName, endpoint: flags.endpoint, maxAttempts: flags.maxAttempts, ...(previousDir ? { previousPack: previousDir } : {}) }));
    process.stderr.write(`${formatPushOutcome(outcome)}\n`);
    if (outcome.totals.failed > 0) pushCode = PUSH_FAILED_EXIT_CODE;
  }
  return { packDir, code, pushCode };
}
