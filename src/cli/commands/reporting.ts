import type { Command } from 'commander';
import { Option } from 'commander';
import { oneLine } from '../../core/text.js';
import { UserError } from '../../core/errors.js';
import { readPublicKey, trustFrom, trustOptions, type TrustFlags } from '../trust.js';
import { DEFAULT_DEFINITION } from '../../core/defaults.js';
import type { ReportOutcome, SigningOptions } from '../../pipeline/report.js';
import { storeOptions, storeOptionsFrom, type StoreFlags } from '../store-flags.js';
import type { StoreReadInfo } from '../../store/location.js';

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
  trustOptions(storeOptions(reportOptions(program.command('report').description('render HTML, PDF and CSV reports of an assessed pack (offline) and sign them').argument('<pack>', 'evidence pack directory, or s3://bucket/prefix/run-id'))), 'render')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override for KMS').hideHelp())
    .action(async (pack: string, flags: ReportFlags & TrustFlags & StoreFlags) => {
      const [{ renderReports }, { withOptionalPackInput, withPackUpdate }] = await Promise.all([import('../../pipeline/report.js'), import('../../store/location.js')]);
      const trust = await trustFrom(flags);
      const store = storeOptionsFrom(flags);
      // An s3:// pack (and --previous/--history) is read into a private copy; the files rewritten go back to S3.
      const outcome = await withOptionalPackInput(flags.previous, 'compare with', (previous) =>
        withOptionalPackInput(flags.history, 'chart the history of', (history) =>
          withPackUpdate(pack, 'render reports of', async (dir) => renderReports(dir, { definitionPath: flags.definition, ...signingFrom({ ...flags, previous, history }), trust }), store),
        ),
      );
      printReportOutcome(outcome);
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
    .argument('<pack>', 'evidence pack directory, or s3://bucket/prefix/run-id (also reports its Object Lock retention)')
    .option('--public-key <pem>', 'the manifest public key you were given out of band: the pack must be signed by it')
    .option('--fingerprint <SHA256:hex>', 'the same, as the key fingerprint you were given')
    .option('--trust-embedded-key', 'accept the key embedded in the pack as the signer (proves integrity, not origin)')
    .option('--allow-unsigned', 'accept a pack that has no signature (hashes only)')
    .option('--require-retention', 's3:// packs: fail (exit 4) unless every object is under Object Lock retention')
    .action(async (pack: string, flags: VerifyFlags) => {
      // The pinned key is read first: a bad key file must not cost a download.
      const publicKeyPem = flags.publicKey ? await readPublicKey(flags.publicKey) : undefined;
      const { withPackInput } = await import('../../store/location.js');
      await withPackInput(pack, 'verify', (dir, info) => verifyCommand(dir, flags, publicKeyPem, info));
    });
}

interface VerifyFlags {
  publicKey?: string;
  fingerprint?: string;
  trustEmbeddedKey?: boolean;
  allowUnsigned?: boolean;
  requireRetention?: boolean;
}

/** An s3:// pack's Object Lock retention and S3 checksums, after the local checks; --require-retention makes a gap fatal. */
function storeLines(info: StoreReadInfo, requireRetention: boolean): boolean {
  const r = info.retention;
  const full = r.objects > 0 && r.retained === r.objects;
  const what = full
    ? `all ${r.objects} objects under Object Lock ${r.modes.join('+')} retention until at least ${r.earliest?.toISOString() ?? '?'}`
    : `${r.objects - r.retained} of ${r.objects} objects NOT under Object Lock retention (e.g. ${r.unretained.map((k) => oneLine(k, 200)).join(', ')})`;
  process.stdout.write(`${full ? 'ok  ' : requireRetention ? 'FAIL' : 'warn'} retention: ${what}\n`);
  if (info.unchecksummed) process.stdout.write(`warn s3 checksums: ${info.unchecksummed} of ${info.objects} objects carry no SHA-256 in S3 (only the manifest vouches for them)\n`);
  else process.stdout.write(`ok   s3 checksums: all ${info.objects} objects match the SHA-256 S3 holds for them\n`);
  return full || !requireRetention;
}

async function verifyCommand(pack: string, flags: VerifyFlags, publicKeyPem: string | undefined, info: StoreReadInfo | undefined): Promise<void> {
  if (flags.requireRetention && !info) throw new UserError(`${pack}: --require-retention applies to an s3:// pack only (fix: drop it for a local folder)`);
  const { verifyPack } = await import('../../verify/verify.js');
  const report = await verifyPack(pack, {
    ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
    ...(flags.fingerprint !== undefined ? { fingerprint: flags.fingerprint } : {}),
    trustEmbeddedKey: Boolean(flags.trustEmbeddedKey),
    allowUnsigned: Boolean(flags.allowUnsigned),
  });
  for (const c of report.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${oneLine(c.subject, 400)}: ${oneLine(c.detail, 400)}\n`);
  const retained = info ? storeLines(info, Boolean(flags.requireRetention)) : true;
  const failed = report.checks.filter((c) => !c.ok).length + (retained ? 0 : 1);
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
}

/** Exit code for a tampered pack or a signature that does not verify. */
export const TAMPERED_EXIT_CODE = 4;
/** Exit code of `verify` when the pack is intact but nothing pinned the signer's key. */
export const NOT_AUTHENTICATED_EXIT_CODE = 6;
