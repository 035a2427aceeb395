import type { Command } from 'commander';
import { Option } from 'commander';
import { oneLine } from '../../core/text.js';
import { readPublicKey, trustFrom, trustOptions, type TrustFlags } from '../trust.js';
import { DEFAULT_DEFINITION } from '../../core/defaults.js';
import type { ReportOutcome, SigningOptions } from '../../pipeline/report.js';

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
  for (const w of outcome.warnings) process.stderr.write(`warning: ${oneLine(w)}\n`);
}

export function registerReportingCommands(program: Command): void {
  trustOptions(reportOptions(program.command('report').description('render HTML, PDF and CSV reports of an assessed pack (offline) and sign them').argument('<pack>', 'evidence pack directory')), 'render')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override for KMS').hideHelp())
    .action(async (pack: string, flags: ReportFlags & TrustFlags) => {
      const { renderReports } = await import('../../pipeline/report.js');
      printReportOutcome(await renderReports(pack, { definitionPath: flags.definition, ...signingFrom(flags), trust: await trustFrom(flags) }));
    });

  program
    .command('keys')
    .description('manage signing keys')
    .command('generate')
    .description('create an Ed25519 manifest key and a PKCS#12 PDF signing identity (self-signed certificate)')
    .requiredOption('--out <dir>', 'directory for the keys (private files are written mode 600)')
    .option('--organisation <name>', 'organisation named in the certificate', 'auditpack user')
    .action(async (flags: { out: string; organisation: string }) => {
      const { generateKeys } = await import('../../sign/keys.js');
      const keys = await generateKeys(flags.out, { organisation: flags.organisation });
      process.stdout.write(`keys written to ${keys.dir}\nmanifest key fingerprint: ${keys.fingerprint}\ngive auditors manifest-signing.pub.pem and report-signing.crt.pem (and the fingerprint) out of band\n`);
    });

  program
    .command('verify')
    .description('re-hash every file, check the manifest, HTML and PDF signatures and what binds them to this pack, against a key you pinned')
    .argument('<pack>', 'evidence pack directory')
    .option('--public-key <pem>', 'the manifest public key you were given out of band: the pack must be signed by it')
    .option('--fingerprint <SHA256:hex>', 'the same, as the key fingerprint you were given')
    .option('--trust-embedded-key', 'accept the key embedded in the pack as the signer (proves integrity, not origin)')
    .option('--allow-unsigned', 'accept a pack that has no signature (hashes only)')
    .action(async (pack: string, flags: { publicKey?: string; fingerprint?: string; trustEmbeddedKey?: boolean; allowUnsigned?: boolean }) => {
      const publicKeyPem = flags.publicKey ? await readPublicKey(flags.publicKey) : undefined;
      const { verifyPack } = await import('../../verify/verify.js');
      const report = await verifyPack(pack, {
        ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
        ...(flags.fingerprint !== undefined ? { fingerprint: flags.fingerprint } : {}),
        trustEmbeddedKey: Boolean(flags.trustEmbeddedKey),
        allowUnsigned: Boolean(flags.allowUnsigned),
      });
      for (const c of report.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${oneLine(c.subject, 400)}: ${oneLine(c.detail, 400)}\n`);
      const failed = report.checks.filter((c) => !c.ok).length;
      if (failed) {
        process.stdout.write(`pack verification FAILED: ${failed} problem(s)\n`);
        process.exitCode = TAMPERED_EXIT_CODE;
      } else if (report.authenticity === 'not-checked') {
        process.stdout.write(`pack intact, but its AUTHENTICITY WAS NOT CHECKED: signed by ${report.signerFingerprint ?? 'an unknown key'}, which you did not pin (fix: pass --public-key FILE or --fingerprint, or --trust-embedded-key)\n`);
        process.exitCode = NOT_AUTHENTICATED_EXIT_CODE;
      } else if (report.authenticity === 'unsigned') {
        process.stdout.write('pack intact (hashes only): it is NOT signed, so who produced it is unknown\n');
      } else {
        process.stdout.write(`pack verified: every file matches the manifest and every signature is valid (signer ${report.signerFingerprint ?? ''}${report.authenticity === 'pinned' ? ', pinned' : ', embedded key trusted on request'})\n`);
      }
    });
}

/** Exit code for a tampered pack or a signature that does not verify. */
export const TAMPERED_EXIT_CODE = 4;
/** Exit code of `verify` when the pack is intact but nothing pinned the signer's key. */
export const NOT_AUTHENTICATED_EXIT_CODE = 6;
