import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONTROLS_DIR } from '../../core/defaults.js';
import { UserError } from '../../core/errors.js';
import type { Severity } from '../../core/types.js';
import { durationSeconds } from '../../collect/duration.js';
import { parseSeverity } from '../options.js';
import { storeOptions, storeOptionsFrom, type StoreFlags } from '../store-flags.js';
import { trustFrom, trustOptions, type TrustFlags } from '../trust.js';
import { reportOptions, type ReportFlags } from './reporting.js';
import { printJson } from '../json-out.js';

export interface MergeFlags extends ReportFlags, TrustFlags, StoreFlags {
  out: string;
  controlsDir: string;
  maxSpread: number;
  report: boolean;
  failOn: Severity | 'none';
  json?: boolean;
  shardsIn?: string;
}

/** More entries than any sharded run makes (N <= 10,000): listing stops there. */
const MAX_LISTED = 10_001;

/**
 * The packs directly under `location` (a folder, or an s3:// prefix: its "sub-folders"), sorted; names starting
 * with a dot (staging folders) are skipped. For an engine's merge job, which cannot know the shards' run ids.
 */
async function packsIn(location: string, endpoint: string | undefined): Promise<string[]> {
  const { isS3Location } = await import('../../store/location.js');
  const names: string[] = [];
  if (isS3Location(location)) {
    const [{ ListObjectsV2Command }, { parseS3Location, formatS3Location, childLocation }, { bucketClient, storeError }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('../../store/s3-location.js'),
      import('../../store/s3-client.js'),
    ]);
    const parent = parseS3Location(location);
    const bc = await bucketClient(parent.bucket, endpoint ? { endpoint } : {});
    const prefix = parent.prefix ? `${parent.prefix}/` : '';
    let token: string | undefined;
    do {
      const page = await bc.client.send(new ListObjectsV2Command({ Bucket: bc.bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) })).catch((err: unknown) => {
        throw storeError(`--shards-in ${location}: listing`, err, 'grant s3:ListBucket on the bucket, or pass the shard packs');
      });
      for (const p of page.CommonPrefixes ?? []) names.push((p.Prefix ?? '').slice(prefix.length).replace(/\/$/, ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && names.length < MAX_LISTED);
    return names.filter((n) => n && !n.startsWith('.')).sort().slice(0, MAX_LISTED).map((n) => formatS3Location(childLocation(parent, n)));
  }
  const { readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const entries = await readdir(location, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new UserError(`--shards-in ${location}: ${err.code === 'ENOENT' ? 'no such folder' : 'cannot list it'} (fix: pass the --out the shards wrote to)`, 2);
  });
  for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) names.push(e.name);
  return names.sort().slice(0, MAX_LISTED).map((n) => join(location, n));
}

function parseSpread(value: string): number {
  const seconds = durationSeconds(value);
  if (seconds === undefined) throw new InvalidArgumentError(`--max-spread expects a duration such as 24h, 90m or 2d (s, m, h, d; at most 366d), got ${JSON.stringify(value.slice(0, 40))}`);
  return seconds;
}

/** Runs fn with a local folder for every location (s3:// ones downloaded for the duration), in the order given. */
async function withPackInputs<T>(locations: string[], endpoint: string | undefined, fn: (dirs: string[]) => Promise<T>): Promise<T> {
  const { withPackInput } = await import('../../store/location.js');
  const step = async (i: number, dirs: string[]): Promise<T> => {
    const location = locations[i];
    if (location === undefined) return fn(dirs);
    return withPackInput(location, 'merge', (dir) => step(i + 1, [...dirs, dir]), endpoint ? { endpoint } : {});
  };
  return step(0, []);
}

export async function runMerge(given: string[], flags: MergeFlags): Promise<number> {
  if ((given.length > 0) === (flags.shardsIn !== undefined)) throw new UserError('merge: pass the shard packs, or --shards-in LOCATION, not both and not neither (fix: e.g. auditpack merge --out OUT PACK1 PACK2, or --shards-in s3://bucket/audits/shards)', 2);
  const packs = flags.shardsIn !== undefined ? await packsIn(flags.shardsIn, flags.endpoint) : given;
  if (packs.length === 0) throw new UserError(`--shards-in ${flags.shardsIn ?? ''}: holds no packs (fix: pass the --out the shards wrote to)`, 2);
  const [{ mergeShards }, { renderReports }, { loadReportDefinition }, { loadKeys }, { withOptionalPackInput, withPackOutput }, { exitCodeFor, formatSummary }, { printReportOutcome, signingFrom }] = await Promise.all([
    import('../../pipeline/merge.js'),
    import('../../pipeline/report.js'),
    import('../../report/definition.js'),
    import('../../sign/keys.js'),
    import('../../store/location.js'),
    import('../summary.js'),
    import('./reporting.js'),
  ]);
  // Everything that can be wrong with the command line is checked before a single shard is read.
  const store = storeOptionsFrom(flags);
  const trust = await trustFrom(flags);
  const definition = flags.report ? await loadReportDefinition(flags.definition) : undefined;
  if (definition && flags.keys && flags.sign) await loadKeys(flags.keys);
  const outcome = await withPackInputs(packs, flags.endpoint, (dirs) =>
    withPackOutput(flags.out, store, async (parent) => {
      const merged = await mergeShards({
        packs: dirs,
        labels: packs,
        out: parent,
        trust,
        maxSpreadSeconds: flags.maxSpread,
        controlsDir: flags.controlsDir,
        beforePublish: async (dir) => {
          if (!definition) return;
          // --previous / --history may be s3:// packs too, as for `run`.
          const { previous, history, ...rest } = flags;
          await withOptionalPackInput(previous, 'compare with', (previousDir) =>
            withOptionalPackInput(history, 'chart the history of', async (historyDir) => {
              printReportOutcome(await renderReports(dir, { definition, ...signingFrom({ ...rest, ...(previousDir ? { previous: previousDir } : {}), ...(historyDir ? { history: historyDir } : {}) }), sealedThisRun: true }));
            }),
          );
        },
      });
      return merged;
    }),
  );
  for (const w of outcome.warnings) process.stderr.write(`warning: ${w}\n`);
  if (flags.json) await printJson(outcome.results);
  else process.stdout.write(`${formatSummary(outcome.results, outcome.location)}\n`);
  return exitCodeFor(outcome.results, flags.failOn);
}

export function registerMergeCommand(program: Command): void {
  const cmd = program
    .command('merge')
    .description('merge the packs of a sharded run (`run --shard I/N`) into one verified, assessed, signed pack of the whole organisation')
    .argument('[packs...]', 'the shard packs, every shard once (folders or s3:// locations)')
    .option('--shards-in <location>', 'merge every pack directly under this folder or s3:// prefix (the --out the shards wrote to) instead of listing them')
    .requiredOption('-o, --out <dir>', 'parent directory (or s3:// prefix) of the merged pack')
    .option('--controls-dir <dir>', 'directory of control definitions (must be the catalog the shards were assessed with)', DEFAULT_CONTROLS_DIR)
    .addOption(new Option('--max-spread <duration>', 'shards must have started within this window of each other (e.g. 24h, 90m, 2d)').argParser(parseSpread).default(86_400, '24h'))
    .option('--fail-on <severity>', 'exit 1 when a control of this severity or higher fails (default none: a merge job succeeds when the pack is made)', parseSeverity, 'none' as const)
    .option('--no-report', 'skip rendering reports (the merged pack is still sealed and assessed, but not signed)')
    .option('--json', 'print results.json to stdout instead of the summary')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override for KMS and S3').hideHelp());
  storeOptions(trustOptions(reportOptions(cmd), 'merge')).action(async (packs: string[], flags: MergeFlags) => {
    process.exitCode = await runMerge(packs, flags);
  });
}
