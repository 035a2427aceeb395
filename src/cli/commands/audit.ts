import type { Command } from 'commander';
import { Option } from 'commander';
import { DEFAULT_CONFIG, DEFAULT_CONTROLS_DIR } from '../../core/defaults.js';
import type { AssessFlags, RunFlags, ScopeFlags } from '../flags.js';
import { parseDuration, parseList, parseParam, parsePositiveInt, parseSeverity } from '../options.js';
import { trustOptions, type TrustFlags } from '../trust.js';
import { parseShardSpec } from '../../pipeline/shard.js';
import { reportOptions } from './reporting.js';
import { storeOptions } from '../store-flags.js';

export type { AssessFlags, RunFlags, ScopeFlags };

function scopeOptions(cmd: Command): Command {
  return storeOptions(cmd)
    .option('-o, --out <dir>', 'parent of evidence packs: a directory, or s3://bucket/prefix (published there once complete)', 'out')
    .option('--regions <list>', 'comma-separated regions (default: every enabled region)', parseList)
    .option('--accounts <list>', 'comma-separated account ids (default: the caller\'s account)', parseList)
    .option('--organization', 'every active account of the AWS Organization (organizations:ListAccounts)')
    .option('--role-name <name>', 'role assumed in accounts other than the caller\'s')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override (default: AWS_ENDPOINT_URL)').hideHelp())
    .option('--max-attempts <n>', 'attempts per call for transient errors; throttling gets 3x, with backoff and jitter', parsePositiveInt, 6)
    .option('--concurrency <n>', 'collector runs in flight (default: as many as --max-calls)', parsePositiveInt)
    .option('--max-calls <n>', 'AWS API calls in flight at once, machine-wide (default: 64 per CPU, within free memory, 8 to 1024)', parsePositiveInt)
    .addOption(new Option('--source <source>', 'where evidence comes from: api (only the service APIs), config (AWS Config items first, live for what they lack), auto (Config where it records the type continuously and is fresh)').choices(['auto', 'api', 'config']).default('auto'))
    .option('--config-max-age <duration>', 'AWS Config items older than this are read live (e.g. 90m, 24h, 2d)', parseDuration, '24h')
    .option('--config-aggregator <name>', 'read AWS Config organisation-wide through this configuration aggregator (the caller\'s account)')
    .option('--aggregator-region <region>', 'region of the configuration aggregator (default: the home region)')
    .option('--attestations <dir>', 'attestation store (auditpack attest) to copy into the pack')
    .option('--shard <I/N>', 'audit shard I of N (1-based) of the accounts, into its own pack; auto/N takes I from AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX (0-based); merge the packs with `auditpack merge`', parseShardSpec)
    .option('--resume <pack>', 'finish an interrupted run: collect only its missing or errored collector runs, keep the evidence already written, then seal (scope comes from the pack; --out is not used)');
}

function assessOptions(cmd: Command): Command {
  return cmd
    .option('--controls-dir <dir>', 'directory of control definitions', DEFAULT_CONTROLS_DIR)
    .option('--control <ids>', 'only these control ids (comma-separated, repeatable)', parseList)
    .option('--param <control.name=value>', 'override a control parameter (repeatable)', parseParam)
    .option('--fail-on <severity>', 'exit 1 when a control of this severity or higher fails (critical|high|medium|low|informational|none)', parseSeverity, 'low' as const)
    .option('--waivers <file>', 'waivers.yaml: approved, time-limited exceptions (copied into the pack)')
    .option('--json', 'print results.json to stdout instead of the summary');
}

export function registerAuditCommands(program: Command): void {
  reportOptions(assessOptions(scopeOptions(program.command('run').description('collect, assess, render and sign: the whole audit'))))
    .option('--no-report', 'skip rendering reports')
    .option('--push-securityhub', 'push the findings into AWS Security Hub (each account and region they describe)')
    .option('--config <file>', `configuration file (default: ./${DEFAULT_CONFIG} when present); flags override it`)
    .action(async (given: RunFlags, cmd: Command) => {
      await (await import('./audit-actions.js')).runAudit(given, cmd);
    });
  scopeOptions(program.command('collect').description('collect evidence into a new pack (no assessment)')).action(async (flags: ScopeFlags) => {
    await (await import('./audit-actions.js')).collectCommand(flags);
  });
  trustOptions(storeOptions(assessOptions(program.command('assess').description('evaluate an existing pack offline (same pack + catalog = same results.json)').argument('<pack>', 'evidence pack directory, or s3://bucket/prefix/run-id'))), 'assess').action(
    async (pack: string, flags: AssessFlags & TrustFlags) => {
      process.exitCode = await (await import('./audit-actions.js')).runAssess(pack, flags);
    },
  );
}
