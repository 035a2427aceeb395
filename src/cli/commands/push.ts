import type { Command } from 'commander';
import { Option } from 'commander';
import { oneLine } from '../../core/text.js';
import type { PushOutcome } from '../../export/securityhub/push.js';
import { parsePositiveInt } from '../options.js';
import { trustFrom, type TrustFlags } from '../trust.js';

/** Exit code when some findings could not be sent after every retry (they are listed, never dropped). */
export const PUSH_FAILED_EXIT_CODE = 5;

interface PushFlags {
  dryRun?: boolean;
  previous?: string;
  roleName?: string;
  endpoint?: string;
  maxAttempts: number;
}

/** Terminal summary of a push: one line per account and region, then every finding that failed. */
export function formatPushOutcome(outcome: PushOutcome): string {
  const lines: string[] = [];
  const verb = outcome.dryRun ? 'dry run: nothing sent' : 'pushed to Security Hub';
  lines.push(`${verb} · run ${outcome.runId} · ${outcome.totals.findings} findings`);
  // Warnings name files and Ids read from a pack: one line each, no terminal escapes.
  for (const w of outcome.warnings) lines.push(`warning: ${oneLine(w, 1000)}`);
  for (const t of outcome.targets) {
    const counts = outcome.dryRun ? '' : ` imported ${t.imported.length} · archived ${t.archived.length} · failed ${t.failed.length}`;
    lines.push(`  ${t.account} ${t.region}${counts}`);
  }
  const failed = outcome.targets.flatMap((t) => t.failed.map((f) => ({ ...f, where: `${t.account} ${t.region}` })));
  if (failed.length) {
    lines.push('', 'findings not sent (retry the push; they are kept for the next one):');
    for (const f of failed) lines.push(`  ${f.where} ${f.action} ${f.id}: ${f.errorCode}${f.errorMessage ? ` ${f.errorMessage}` : ''}`);
  }
  lines.push('', `findings: ${outcome.findingsFile}`);
  if (outcome.pushedFile) lines.push(`pushed ids: ${outcome.pushedFile}`);
  return lines.join('\n');
}

export function registerPushCommand(program: Command): void {
  program
    .command('push')
    .description('publish an assessed pack to another system')
    .command('securityhub')
    .description('import the results as ASFF findings into AWS Security Hub (each account and region its own), archiving resolved and vanished ones')
    .argument('<pack>', 'assessed evidence pack directory, or s3://bucket/prefix/run-id')
    .option('--dry-run', 'write findings.asff.json into the pack without sending anything')
    .option('--previous <pack>', 'pack of the last push: archive what it pushed and this run no longer reports, as its signed results confirm (default: ask Security Hub)')
    .option('--role-name <name>', 'role assumed in accounts other than the caller\'s (findings are imported by their own account)')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override (default: AWS_ENDPOINT_URL)').hideHelp())
    .option('--max-attempts <n>', 'attempts per call for transient errors; throttling gets 3x, with backoff and jitter', parsePositiveInt, 6)
    .option('--public-key <pem>', 'only push packs signed by this manifest public key (the .pub.pem you were given)')
    .option('--fingerprint <SHA256:hex>', 'only push packs signed by the key with this fingerprint')
    .action(async (pack: string, flags: PushFlags & TrustFlags) => {
      const [{ pushToSecurityHub }, { withOptionalPackInput, withPackUpdate }] = await Promise.all([import('../../export/securityhub/push.js'), import('../../store/location.js')]);
      const trust = await trustFrom(flags);
      const store = flags.endpoint ? { endpoint: flags.endpoint } : {};
      // An s3:// pack is pushed from a private copy; the push records it writes (findings, pushed ids) go back to S3.
      const outcome = await withOptionalPackInput(flags.previous, 'compare with', (previousPack) =>
        withPackUpdate(pack, 'push', (dir) =>
          pushToSecurityHub(dir, {
            trust,
            dryRun: flags.dryRun,
            previousPack,
            roleName: flags.roleName,
            endpoint: flags.endpoint,
            maxAttempts: flags.maxAttempts,
          }).then((o) => (dir === pack ? o : { ...o, findingsFile: o.findingsFile.split(dir).join(pack), ...(o.pushedFile ? { pushedFile: o.pushedFile.split(dir).join(pack) } : {}) })),
          store,
        ),
        store,
      );
      process.stdout.write(`${formatPushOutcome(outcome)}\n`);
      if (outcome.totals.failed) process.exitCode = PUSH_FAILED_EXIT_CODE;
    });
}
