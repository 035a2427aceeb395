import type { Command } from 'commander';
import { Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { UserError, errorMessage } from '../../core/errors.js';
import { renderReports, type ReportOutcome, type SigningOptions } from '../../pipeline/report.js';
import { DEFAULT_DEFINITION } from '../../report/definition.js';
import { generateKeys } from '../../sign/keys.js';
import { verifyPack } from '../../verify/verify.js';

export interface ReportFlags {
  definition: string;
  keys?: string;
  signKmsKey?: string;
  sign: boolean;
  endpoint?: string;
  previous?: string;
  history?: string;
}

/** Report and signing options shared by `run` and `report`. */
export function reportOptions(cmd: Command): Command {
  return cmd
    .option('--definition <file>', 'report definition (reports/*.yaml)', DEFAULT_DEFINITION)
    .option('--keys <dir>', 'signing keys made by `auditpack keys generate` (default: $AUDITPACK_KEYS)', process.env.AUDITPACK_KEYS)
    .option('--sign-kms-key <arn>', 'sign manifest and HTML report with this AWS KMS asymmetric key (kms:Sign, MessageType RAW)')
    .option('--no-sign', 'do not sign, even if the definition asks for it')
    .option('--previous <pack>', 'previous pack: the report shows what changed since it')
    .option('--history <dir>', 'directory of earlier packs: the report charts the score trend');
}

/** Signing and change-tracking options for renderReports, from the shared report flags. */
export function signingFrom(flags: ReportFlags): SigningOptions & { previousPack?: string; historyDir?: string } {
  return {
    keysDir: flags.keys,
    kmsKeyId: flags.signKmsKey,
    endpoint: flags.endpoint,
    noSign: !flags.sign,
    ...(flags.previous ? { previousPack: flags.previous } : {}),
    ...(flags.history ? { historyDir: flags.history } : {}),
  };
}

export function printReportOutcome(outcome: ReportOutcome): void {
  process.stderr.write(`reports: ${outcome.outputs.join(', ')}${outcome.signedWith ? ` · signed with ${outcome.signedWith}` : ''}\n`);
  for (const w of outcome.warnings) process.stderr.write(`warning: ${w}\n`);
}

export function registerReportingCommands(program: Command): void {
  reportOptions(program.command('report').description('render HTML, PDF and CSV reports of an assessed pack (offline) and sign them').argument('<pack>', 'evidence pack directory'))
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override for KMS').hideHelp())
    .action(async (pack: string, flags: ReportFlags) => {
      printReportOutcome(await renderReports(pack, { definitionPath: flags.definition, ...signingFrom(flags) }));
    });

  program
    .command('keys')
    .description('manage signing keys')
    .command('generate')
    .description('create an Ed25519 manifest key and a PKCS#12 PDF signing identity (self-signed certificate)')
    .requiredOption('--out <dir>', 'directory for the keys (private files are written mode 600)')
    .option('--organisation <name>', 'organisation named in the certificate', 'auditpack user')
    .action(async (flags: { out: string; organisation: string }) => {
      const keys = await generateKeys(flags.out, { organisation: flags.organisation });
      process.stdout.write(`keys written to ${keys.dir}\nmanifest key fingerprint: ${keys.fingerprint}\ngive auditors manifest-signing.pub.pem and report-signing.crt.pem (and the fingerprint) out of band\n`);
    });

  program
    .command('verify')
    .description('re-hash every file and check the manifest, HTML and PDF signatures; exits 4 if anything fails')
    .argument('<pack>', 'evidence pack directory')
    .option('--public-key <pem>', 'the manifest public key you were given (must match the embedded one)')
    .option('--allow-unsigned', 'accept a pack that has no signature (hashes only)')
    .action(async (pack: string, flags: { publicKey?: string; allowUnsigned?: boolean }) => {
      let publicKeyPem: string | undefined;
      if (flags.publicKey) {
        publicKeyPem = await readFile(flags.publicKey, 'utf8').catch((err: unknown) => {
          throw new UserError(`${flags.publicKey}: cannot read public key: ${errorMessage(err)} (fix: pass the .pub.pem file you were given)`);
        });
      }
      const checks = await verifyPack(pack, { publicKeyPem, allowUnsigned: flags.allowUnsigned });
      for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.subject}: ${c.detail}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      process.stdout.write(failed ? `pack verification FAILED: ${failed} problem(s)\n` : 'pack verified: every file matches the manifest and every signature is valid\n');
      if (failed) process.exitCode = 4;
    });
}
