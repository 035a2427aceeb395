import { KMSClient } from '@aws-sdk/client-kms';
import { createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { clientsFor } from '../collect/aws-access.js';
import { UserError, errorMessage } from '../core/errors.js';
import { diffResults } from '../diff/diff.js';
import { compareHistory, historyPoint, loadHistory } from '../diff/history.js';
import { readAssessedPack } from '../diff/pack-input.js';
import type { HistoryPoint } from '../diff/types.js';
import { sha256Hex, writeFileAtomic } from '../core/fs.js';
import { DERIVED_OUTPUTS, MANIFEST, manifestMeta, writeManifest, type Manifest, type ManifestSigning } from '../locker/pack.js';
import { PackError } from '../locker/records.js';
import { openVerifiedPack, type PackTrust, type VerifiedPack } from '../verify/open-pack.js';
import { withRollback } from '../locker/rollback.js';
import { RUN_FILE, type RunRecord } from '../locker/run-info.js';
import { buildReportView, waCoverageBaseline } from '../report/build-view.js';
import { writeCsv } from '../report/csv.js';
import { loadReportDefinition, type ReportDefinition } from '../report/definition.js';
import { renderHtml } from '../report/html.js';
import { writePdf } from '../report/pdf/render.js';
import type { ChangesView } from '../report/view-model.js';
import type { ResultsDocument } from '../results/types.js';
import { loadKeys, type LoadedKeys } from '../sign/keys.js';
import { signPackFiles } from '../sign/pack-signature.js';
import { signingCertificateSha256, type PdfSigningKey } from '../sign/pdf-sign.js';
import { keyFingerprint, kmsSigner, type DetachedSigner } from '../sign/signer.js';
import { KmsPdfSigner, kmsCertificate } from '../sign/kms-pdf-signer.js';
import { RESULTS_FILE } from '../locker/layout.js';

export interface SigningOptions {
  /** Directory made by `auditpack keys generate`. */
  keysDir?: string;
  /** AWS KMS asymmetric key (ARN) for the detached signatures, instead of the local Ed25519 key. */
  kmsKeyId?: string;
  endpoint?: string;
  /** Do not sign even when the definition asks for it. */
  noSign?: boolean;
  /** For a KMS-made PDF certificate: its subject organisation and validity start (the run's end, for stable bytes). */
  organisation?: string;
  signingTime?: Date;
}

export interface ReportOptions extends SigningOptions {
  definitionPath?: string;
  definition?: ReportDefinition;
  /** An earlier assessed pack: the report's `changes` section lists what changed since it. */
  previousPack?: string;
  /** A directory of packs (e.g. out/): the score trend over them. Unreadable packs are skipped with a warning. */
  historyDir?: string;
  /** Evidence older than this many days is listed as stale in the `changes` section (default 90). */
  staleAfterDays?: number;
  /** Require this pack (and the previous and history packs) to be signed by this key (`report --public-key`). */
  trust?: PackTrust;
  /** The pack was collected by this same process (`run`): signing it unsigned is the normal case, not a risk. */
  sealedThisRun?: boolean;
}

export interface ReportOutcome {
  outputs: string[];
  signedWith?: string;
  warnings: string[];
}

/**
 * The diff against the previous pack and the score trend (this run included); undefined when neither was asked
 * for. The other packs must be signed by `trust` (the key the user pinned, else the key this report is signed
 * with, else this pack's signer): a signed report never carries numbers from a pack nobody vouches for.
 */
async function loadChanges(packDir: string, results: ResultsDocument, manifest: Manifest, options: ReportOptions, trust: PackTrust, warnings: string[]): Promise<ChangesView | undefined> {
  if (!options.previousPack && !options.historyDir) return undefined;
  const previous = options.previousPack ? await readAssessedPack(options.previousPack, trust) : undefined;
  const history = options.historyDir ? await loadHistory(options.historyDir, trust, packDir) : { points: [], warnings: [] };
  warnings.push(...history.warnings);
  if (previous && previous.results.run.startedAt > results.run.startedAt)
    warnings.push(`previous pack ${options.previousPack} (run ${previous.results.run.id}) started after this run: the changes section compares backwards`);
  // One point per run id; this run's in-memory results win over any copy found in the history directory.
  const points = new Map<string, HistoryPoint>();
  for (const p of [...history.points, ...(previous ? [historyPoint(previous.results)] : []), historyPoint(results)]) points.set(p.runId, p);
  return {
    ...(previous ? { diff: diffResults(previous.results, results, { newManifest: manifest, ...(options.staleAfterDays === undefined ? {} : { staleAfterDays: options.staleAfterDays }) }) } : {}),
    trend: [...points.values()].sort(compareHistory),
    ...(previous ? { previousWellArchitected: waCoverageBaseline(previous.results) } : {}),
  };
}

async function resolveSigners(options: SigningOptions): Promise<{ detached?: DetachedSigner; pdf?: PdfSigningKey; demo: boolean }> {
  if (options.noSign) return { demo: false };
  const keys: LoadedKeys | undefined = options.keysDir ? await loadKeys(options.keysDir) : undefined;
  let detached = keys?.manifest;
  if (options.kmsKeyId) {
    const region = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(options.kmsKeyId)?.[1] ?? process.env.AWS_REGION ?? 'us-east-1';
    const kms = clientsFor({ account: 'caller', endpoint: options.endpoint }).forRegion(region).get(KMSClient);
    try {
      detached = await kmsSigner(kms, options.kmsKeyId);
    } catch (err) {
      throw new UserError(`--sign-kms-key ${options.kmsKeyId}: ${errorMessage(err).split('\n')[0]} (fix: use an asymmetric SIGN_VERIFY key and grant kms:GetPublicKey and kms:Sign)`);
    }
    // Without a local PDF identity, an RSA KMS key signs the PDF too (self-signed certificate made by KMS).
    if (!keys?.pdf && detached.scheme === 'rsa-pkcs1-sha256') {
      const certificate = await kmsCertificate(kms, options.kmsKeyId, { commonName: 'auditpack report signing (AWS KMS)', organisation: options.organisation ?? 'auditpack', validDays: 825, now: options.signingTime ?? new Date() });
      const certificateDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
      return { detached, pdf: { signer: new KmsPdfSigner(kms, options.kmsKeyId, certificate), certificateDer, name: 'auditpack (AWS KMS)' }, demo: false };
    }
  }
  return { detached, pdf: keys?.pdf, demo: keys?.demo ?? false };
}

/** What the signed manifest will say about its signer and the reports, known before anything is rendered. */
function manifestSigning(detached: DetachedSigner, demo: boolean, reports: { html: boolean; pdf?: PdfSigningKey }): ManifestSigning {
  let pdf: ManifestSigning['reports']['pdf'];
  if (reports.pdf) {
    try {
      pdf = { certificateSha256: signingCertificateSha256(reports.pdf) };
    } catch (err) {
      throw new UserError(`PDF signing identity: ${errorMessage(err).split('\n')[0]} (fix: run \`auditpack keys generate\` for a new identity)`);
    }
  }
  return {
    scheme: detached.scheme,
    keyId: detached.keyId,
    publicKeyFingerprint: keyFingerprint(createPublicKey(detached.publicKeyPem)),
    ...(demo ? { demoKey: true } : {}),
    reports: { ...(reports.html ? { html: { signature: 'report.html.sig' as const } } : {}), ...(pdf ? { pdf } : {}) },
  };
}

/**
 * Renders the definition's outputs from results.json and the manifest (offline), reseals the manifest and signs:
 * manifest.sig + report.html.sig (detached) and report.pdf (embedded CMS). The pack is verified first (a tampered
 * pack is refused, never re-signed). The reports show the sealed manifest's SHA-256 (and commit to it in
 * machine-readable form), which is why they are not listed in it; the signed manifest names the signing key and the
 * PDF certificate instead, so `verify` can bind every report to this pack and to the pinned key.
 */
export async function renderReports(packDir: string, options: ReportOptions = {}): Promise<ReportOutcome> {
  const definition = options.definition ?? (await loadReportDefinition(options.definitionPath));
  const pack = await openVerifiedPack(packDir, { purpose: 'render reports of', ...options.trust });
  if (!pack.has(RESULTS_FILE)) throw new UserError(`${join(packDir, RESULTS_FILE)}: no results in this pack (fix: run \`auditpack assess ${packDir}\` first)`);
  const results = await pack.readJsonStream<ResultsDocument>(RESULTS_FILE, 'results.schema.json');
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  const catalogDigest = pack.manifest.catalog?.digest;
  if (!catalogDigest) throw new PackError(`${join(packDir, MANIFEST)}: field "catalog": missing although the pack holds results (fix: run \`auditpack assess ${packDir}\` again)`);
  const signers = await resolveSigners({ organisation: definition.organisation, signingTime: new Date(results.run.finishedAt), ...options });
  const warnings: string[] = [];
  const pdfKey = definition.signing.pdf && !options.noSign ? signers.pdf : undefined;
  if (definition.outputs.includes('pdf') && definition.signing.pdf && !options.noSign && !pdfKey) warnings.push('report.pdf is NOT signed: no PDF signing identity (run `auditpack keys generate` and pass --keys)');
  const signing =
    definition.signing.manifest && !options.noSign && signers.detached
      ? manifestSigning(signers.detached, signers.demo, { html: definition.outputs.includes('html'), ...(pdfKey && definition.outputs.includes('pdf') ? { pdf: pdfKey } : {}) })
      : undefined;
  const pinned = options.trust?.publicKeyPem !== undefined || options.trust?.fingerprint !== undefined;
  checkResigning(packDir, pack.signerFingerprint, signing, pinned, Boolean(options.sealedThisRun), warnings);
  const otherTrust: PackTrust = pinned ? (options.trust ?? {}) : signing ? { fingerprint: signing.publicKeyFingerprint } : pack.signerFingerprint ? { fingerprint: pack.signerFingerprint } : {};
  // Read the other packs before anything of this one is touched, so a bad path leaves the pack as it was.
  const changes = await loadChanges(packDir, results, pack.manifest, options, otherTrust, warnings);
  if (definition.signing.manifest && !options.noSign && !signers.detached)
    warnings.push('pack is NOT signed: no signing key (run `auditpack keys generate --out KEYS` and pass --keys KEYS, or --sign-kms-key ARN)');
  if (signing && signers.demo) warnings.push('signed with a DEMO key: the signature proves integrity only, not who produced the pack');
  // Render, seal and sign as one step: a failure anywhere (a render error, a pack changed underneath, KMS refusing
  // to sign) puts the pack back as it was, never a manifest that claims signatures it does not have.
  return withRollback(packDir, [MANIFEST, ...DERIVED_OUTPUTS], async () => {
    const outputs = await writeOutputs(packDir, { definition, results, pack, seal: { ...manifestMeta(run, catalogDigest), ...(signing ? { signing } : {}) }, changes, ...(pdfKey ? { pdfKey } : {}) });
    if (!signing || !signers.detached) return { outputs: outputs.sort(), warnings };
    const files = [MANIFEST, ...(outputs.includes('report.html') ? ['report.html'] : [])];
    const record = await signPackFiles(packDir, files, signers.detached, signers.demo);
    outputs.push('manifest.sig', ...(files.includes('report.html') ? ['report.html.sig'] : []), 'signature.json');
    return { outputs: outputs.sort(), signedWith: `${record.scheme} ${record.keyId}`, warnings };
  });
}

/**
 * Who may sign what. Signing vouches for a pack's contents, so: a pack signed by another key is re-signed only when
 * the user pinned that key (`--public-key`: they trust its signer); a pack that was never signed is signed with a
 * warning, unless this process collected it.
 */
function checkResigning(packDir: string, currentSigner: string | undefined, signing: ManifestSigning | undefined, pinned: boolean, sealedThisRun: boolean, warnings: string[]): void {
  if (!signing) return;
  if (currentSigner && currentSigner !== signing.publicKeyFingerprint && !pinned)
    throw new PackError(
      `${packDir}: is signed by ${currentSigner}, not by the key you sign with (${signing.publicKeyFingerprint}); re-signing would vouch for another signer's content (fix: pass that signer's key with --public-key if you trust it)`,
    );
  if (!currentSigner && !sealedThisRun)
    warnings.push('signing a pack that was not signed before: a signature vouches for what is in it now, so be sure it never left your control since it was collected (sign at run time: `run --keys`)');
}

interface OutputPlan {
  definition: ReportDefinition;
  results: ResultsDocument;
  pack: VerifiedPack;
  seal: Omit<Manifest, 'schemaVersion' | 'files'>;
  changes: ChangesView | undefined;
  pdfKey?: PdfSigningKey;
}

/**
 * Removes the stale derived outputs, seals the manifest (refusing anything that changed since verification),
 * renders CSV (listed, so sealed again), HTML and PDF. Returns the outputs written.
 */
async function writeOutputs(packDir: string, plan: OutputPlan): Promise<string[]> {
  const { definition, results } = plan;
  for (const file of DERIVED_OUTPUTS) await rm(join(packDir, file), { force: true });
  const guard = { verified: plan.pack.manifest, written: new Set(['results.csv']), dropped: new Set(DERIVED_OUTPUTS) };
  const seal = (): Promise<Manifest> => writeManifest(packDir, plan.seal, guard);
  const outputs: string[] = [];
  let manifest = await seal();
  if (definition.outputs.includes('csv')) {
    // The CSV is listed in the manifest, so it is rendered before the final seal (it does not show the digest).
    await writeCsv(join(packDir, 'results.csv'), buildReportView(results, manifest, '', definition, undefined, { allResults: true }));
    outputs.push('results.csv');
    manifest = await seal();
  }
  const manifestSha256 = sha256Hex(await readFile(join(packDir, MANIFEST)));
  const view = buildReportView(results, manifest, manifestSha256, definition, plan.changes);
  if (definition.outputs.includes('html')) {
    await writeFileAtomic(join(packDir, 'report.html'), renderHtml(view));
    outputs.push('report.html');
  }
  if (definition.outputs.includes('pdf')) {
    await writePdf(join(packDir, 'report.pdf'), view, { ...(plan.pdfKey ? { sign: plan.pdfKey } : {}) });
    outputs.push('report.pdf');
  }
  return outputs;
}
