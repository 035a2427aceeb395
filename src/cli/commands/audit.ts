import type { Command } from 'commander';
import { Option } from 'commander';
import { collectors as allCollectors } from '../../../collectors/index.js';
import { loadCatalog, DEFAULT_CONTROLS_DIR } from '../../catalog/load.js';
import type { Severity } from '../../core/types.js';
import { assessPack, checkParamOverrides, collectorsFor, selectControls } from '../../pipeline/assess.js';
import { collect, type CollectOptions } from '../../pipeline/collect.js';
import { parseList, parseParam, parsePositiveInt, parseSeverity } from '../options.js';
import { createProgress } from '../progress.js';
import { trustFrom, trustOptions, type TrustFlags } from '../trust.js';
import { renderReports } from '../../pipeline/report.js';
import { pushToSecurityHub } from '../../export/securityhub/push.js';
import { formatPushOutcome, PUSH_FAILED_EXIT_CODE } from './push.js';
import { loadReportDefinition } from '../../report/definition.js';
import { loadKeys } from '../../sign/keys.js';
import { DEFAULT_CONFIG } from '../../config/config.js';
import { findConfig, mergeConfig } from '../run-config.js';
import { loadWaivers } from '../../workflow/waivers.js';
import { loadAttestations } from '../../workflow/attestations.js';
import { printReportOutcome, reportOptions, signingFrom, type ReportFlags } from './reporting.js';
import { exitCodeFor, formatSummary } from '../summary.js';

interface ScopeFlags {
  out: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  endpoint?: string;
  maxAttempts: number;
  concurrency: number;
  attestations?: string;
}
interface AssessFlags {
  controlsDir: string;
  control?: string[];
  param?: Record<string, Record<string, unknown>>;
  failOn: Severity | 'none';
  json?: boolean;
  waivers?: string;
}

function scopeOptions(cmd: Command): Command {
  return cmd
    .option('-o, --out <dir>', 'parent directory of evidence packs', 'out')
    .option('--regions <list>', 'comma-separated regions (default: every enabled region)', parseList)
    .option('--accounts <list>', 'comma-separated account ids (default: the caller\'s account)', parseList)
    .option('--organization', 'every active account of the AWS Organization (organizations:ListAccounts)')
    .option('--role-name <name>', 'role assumed in accounts other than the caller\'s')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override (default: AWS_ENDPOINT_URL)').hideHelp())
    .option('--max-attempts <n>', 'SDK attempts per call (adaptive retry on throttling)', parsePositiveInt, 6)
    .option('--concurrency <n>', 'collector runs in flight', parsePositiveInt, 8)
    .option('--attestations <dir>', 'attestation store (auditpack attest) to copy into the pack');
}

function assessOptions(cmd: Command): Command {
  return cmd
    .option('--controls-dir <dir>', 'directory of control definitions', DEFAULT_CONTROLS_DIR)
    .option('--control <ids>', 'only these control ids (comma-separated, repeatable)', parseList)
    .option('--param <control.name=value>', 'override a control parameter (repeatable)', parseParam)
    .option('--fail-on <severity>', 'exit 1 when a control of this severity or higher fails (critical|high|medium|low|informational|none)', parseSeverity, 'low' as Severity)
    .option('--waivers <file>', 'waivers.yaml: approved, time-limited exceptions (copied into the pack)')
    .option('--json', 'print results.json to stdout instead of the summary');
}

async function runCollect(flags: ScopeFlags, collectorsToRun: CollectOptions['collectors'], controlIds?: string[]): Promise<string> {
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

async function runAssess(packDir: string, flags: AssessFlags & TrustFlags): Promise<number> {
  const results = await assessPack(packDir, { controlsDir: flags.controlsDir, controlIds: flags.control, params: flags.param, waiversFile: flags.waivers, trust: await trustFrom(flags) });
  process.stdout.write(flags.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatSummary(results, packDir)}\n`);
  return exitCodeFor(results, flags.failOn);
}

export function registerAuditCommands(program: Command): void {
  reportOptions(assessOptions(scopeOptions(program.command('run').description('collect, assess, render and sign: the whole audit'))))
    .option('--no-report', 'skip rendering reports')
    .option('--push-securityhub', 'push the findings into AWS Security Hub (each account and region they describe)')
    .option('--config <file>', `configuration file (default: ./${DEFAULT_CONFIG} when present); flags override it`)
    .action(async (given: ScopeFlags & AssessFlags & ReportFlags & { report: boolean; pushSecurityhub?: boolean; config?: string }, cmd: Command) => {
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
    });
  scopeOptions(program.command('collect').description('collect evidence into a new pack (no assessment)')).action(async (flags: ScopeFlags) => {
    const packDir = await runCollect(flags, undefined);
    process.stdout.write(`evidence pack: ${packDir}\nnext: auditpack assess ${packDir}\n`);
  });
  trustOptions(assessOptions(program.command('assess').description('evaluate an existing pack offline (same pack + catalog = same results.json)').argument('<pack>', 'evidence pack directory')), 'assess').action(
    async (pack: string, flags: AssessFlags & TrustFlags) => {
      process.exitCode = await runAssess(pack, flags);
    },
  );
}
