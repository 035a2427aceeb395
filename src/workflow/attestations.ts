import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { YamlSource } from '../core/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { UserError, errorMessage } from '../core/errors.js';
import { sha256Hex, writeFileUnder } from '../core/fs.js';
import { LIMITS, SafeFsError, readInputFile } from '../core/safe-fs.js';
import type { ControlKind } from '../core/types.js';
import {
  DOCUMENTS_DIR,
  type AttestationRoot,
  documentNameProblem,
  documentPathProblem,
  exitCodeFor,
  fixFor,
  isControlId,
  listRecords,
  readRaw,
  readUnder,
  refusal,
  safeDocumentName,
  safeFsReason,
} from './attestation-store.js';

/** One attestation: who vouched for a manual control (or supplied an inherited control's AWS Artifact report). */
export interface Attestation {
  schemaVersion: '1';
  control: string;
  result: 'PASS' | 'FAIL' | 'INHERITED';
  by: string;
  statement: string;
  attestedAt: string;
  expires: string;
  period?: string;
  document: { name: string; path: string; sha256: string; bytes: number };
}

export interface LoadedAttestation {
  attestation: Attestation;
  /** Path relative to the pack (or store) root, e.g. attestations/manual-threat-model/20261123T101500Z-ab12cd34.yaml. */
  file: string;
  sha256: string;
}

export type AttestationState = 'valid' | 'expired' | 'superseded' | 'future';

export interface AttestationOutcome {
  control: string;
  file: string;
  by: string;
  attestedAt: string;
  expires: string;
  result: Attestation['result'];
  state: AttestationState;
  document: { name: string; sha256: string };
}

export const ATTESTATIONS_DIR = 'attestations';

export interface AttestInput {
  control: { id: string; kind: ControlKind } | undefined;
  controlId: string;
  by: string;
  file: string;
  expires: string;
  statement: string;
  result?: Attestation['result'];
  period?: string;
  store: string;
  now?: Date;
}

function invalid(field: string, problem: string, fix: string): UserError {
  return new UserError(`auditpack attest: --${field} ${problem} (fix: ${fix})`);
}

/** A value from the command line quoted for a one-line message (it may hold anything, newlines included). */
function quoted(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}...` : value);
}

/** The attested document, read as the user named it: a regular file only (a FIFO or a device is refused), bounded. */
async function readDocument(file: string): Promise<Buffer> {
  try {
    return await readInputFile(file, LIMITS.documentBytes);
  } catch (err) {
    const reason = err instanceof SafeFsError ? safeFsReason(err) : errorMessage(err);
    throw invalid('file', `${file} cannot be read: ${reason}`, 'attach the evidence document (PDF, image, text)');
  }
}

/** Writes `rel` under the store, never through a symlink or outside it. */
async function writeToStore(store: string, rel: string, data: string | Uint8Array): Promise<string> {
  try {
    await mkdir(store, { recursive: true });
    return await writeFileUnder(store, rel, data);
  } catch (err) {
    const reason = err instanceof SafeFsError ? err.message : errorMessage(err);
    throw invalid('store', `${store} cannot take the attestation: ${reason}`, 'use a store folder of real directories (no symbolic links)');
  }
}

/** Records an attestation in the store: the YAML record plus a copy of the document, both hashed. */
export async function recordAttestation(input: AttestInput): Promise<string> {
  const now = input.now ?? new Date();
  // The id names the record's folder: it must be a control id before it comes near a path.
  if (!isControlId(input.controlId)) throw invalid('control', `${quoted(input.controlId)} is not a control id`, 'use an id from `auditpack controls list`');
  if (!input.control) throw invalid('control', `${quoted(input.controlId)} is not a known control`, 'use an id from `auditpack controls list`');
  if (input.control.kind === 'automated') throw invalid('control', `"${input.controlId}" is automated: its evidence comes from AWS APIs`, 'attest manual or inherited controls only');
  const result = input.result ?? (input.control.kind === 'inherited' ? 'INHERITED' : 'PASS');
  if (!['PASS', 'FAIL', 'INHERITED'].includes(result)) throw invalid('result', `${quoted(String(result))} is not PASS, FAIL or INHERITED`, 'use PASS or FAIL (manual) or INHERITED (inherited)');
  if ((input.control.kind === 'inherited') !== (result === 'INHERITED')) throw invalid('result', `${result} does not fit a ${input.control.kind} control`, input.control.kind === 'inherited' ? 'use INHERITED' : 'use PASS or FAIL');
  if (input.by.trim().length < 3) throw invalid('by', 'must name the person attesting', 'pass --by "Full Name (role)"');
  if (input.statement.trim().length < 20) throw invalid('statement', 'is too short to say what is attested', 'write at least 20 characters');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expires) || Number.isNaN(Date.parse(input.expires))) throw invalid('expires', `${quoted(input.expires)} is not a date`, 'use YYYY-MM-DD');
  if (input.expires < now.toISOString().slice(0, 10)) throw invalid('expires', `${input.expires} is in the past`, 'give a future expiry date');
  // Read once: the bytes hashed are the bytes stored (no second read of a file that may have changed).
  const document = await readDocument(input.file);
  const sha256 = sha256Hex(document);
  const name = safeDocumentName(input.file);
  const docPath = `${DOCUMENTS_DIR}/${sha256.slice(0, 16)}-${name}`;
  await writeToStore(input.store, `${input.controlId}/${docPath}`, document);
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const record: Attestation = {
    schemaVersion: '1',
    control: input.controlId,
    result,
    by: input.by.trim(),
    statement: input.statement.trim(),
    attestedAt: now.toISOString(),
    expires: input.expires,
    ...(input.period ? { period: input.period } : {}),
    document: { name, path: docPath, sha256, bytes: document.length },
  };
  return writeToStore(input.store, `${input.controlId}/${stamp}-${sha256.slice(0, 8)}.yaml`, stringify(record));
}

/** One record read and checked, with the exact bytes of the record and of its document. */
interface CheckedRecord {
  rel: string;
  attestation: Attestation;
  bytes: Buffer;
  document: Buffer;
}

const RECORD_FIX = 'record attestations with `auditpack attest`; see schemas/attestation.schema.json';

/** Parses a record; whatever the parser throws becomes a one-line error naming the file. */
function parseRecord(root: AttestationRoot, label: string, text: string): YamlSource {
  try {
    return YamlSource.parse(label, text);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.message, exitCodeFor(root));
    throw refusal(root, label, `is not a readable attestation record: ${errorMessage(err).split('\n')[0]}`, RECORD_FIX);
  }
}

/**
 * Reads one record and its document from `root`, both through readRaw (no symlink, regular, bounded), and
 * checks the record against the schema, its folder (the record's control), its document path (inside that
 * control's documents/ folder) and its document's hash and size.
 */
async function readRecord(root: AttestationRoot, rel: string): Promise<CheckedRecord> {
  const label = join(root.dir, rel);
  const folder = rel.split('/')[0] as string;
  const bytes = await readUnder(root, rel, LIMITS.inputBytes);
  const source = parseRecord(root, label, bytes.toString('utf8'));
  const fail = (path: readonly (string | number)[], problem: string, fix: string): UserError => new UserError(source.error(path, problem, fixFor(root, fix)).message, exitCodeFor(root));
  const validate = schemaValidator('attestation.schema.json');
  if (!validate(source.value)) {
    const err = validate.errors![0]!;
    const { problem } = describeSchemaError(err);
    throw fail(errorPath(err), problem, RECORD_FIX);
  }
  const attestation = source.value as Attestation;
  if (attestation.control !== folder) throw fail(['control'], `is ${JSON.stringify(attestation.control)} but the record is in the folder of ${folder}`, `keep each record in its control's folder, as \`auditpack attest\` writes it`);
  const nameProblem = documentNameProblem(attestation.document.name);
  if (nameProblem) throw fail(['document', 'name'], nameProblem, 'attest the document again with `auditpack attest`');
  const pathProblem = documentPathProblem(attestation.document.path);
  if (pathProblem) throw fail(['document', 'path'], `${JSON.stringify(attestation.document.path.slice(0, 200))} ${pathProblem}`, 'attest the document again with `auditpack attest`');
  let document: Buffer | undefined;
  try {
    document = await readRaw(root, `${folder}/${attestation.document.path}`, LIMITS.documentBytes);
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    if (err.problem !== 'missing') throw fail(['document', 'path'], `document ${attestation.document.path} ${safeFsReason(err)}`, 'replace it with the regular file `auditpack attest` wrote');
  }
  if (!document || sha256Hex(document) !== attestation.document.sha256)
    throw fail(['document', 'sha256'], `document ${attestation.document.path} is ${document ? 'not the one attested (hash differs)' : 'missing'}`, 'restore the attested document or attest again');
  if (document.length !== attestation.document.bytes) throw fail(['document', 'bytes'], `is ${attestation.document.bytes} but the document has ${document.length} bytes`, 'attest the document again');
  return { rel, attestation: { ...attestation, expires: String(attestation.expires) }, bytes, document };
}

async function loadFrom(root: AttestationRoot, labelRoot: string): Promise<LoadedAttestation[]> {
  const loaded: LoadedAttestation[] = [];
  for (const rel of await listRecords(root)) {
    const record = await readRecord(root, rel);
    loaded.push({ attestation: record.attestation, file: relative(labelRoot, join(root.dir, rel)), sha256: sha256Hex(record.bytes) });
  }
  return loaded;
}

/**
 * Reads every attestation of a store (`auditpack attest --store`), checking each record and the hash of its
 * document. File names are reported relative to `labelRoot`. A problem is a usage error (exit 2).
 */
export async function loadAttestations(dir: string, labelRoot: string = dirname(dir)): Promise<LoadedAttestation[]> {
  return loadFrom({ dir, origin: 'store' }, labelRoot);
}

/**
 * Reads the attestations a pack carries (its attestations/ folder); any problem means the pack was altered
 * (exit 4). `read`, when given, reads a pack-relative path (e.g. a verified pack's reader, which re-checks each
 * file against the manifest); the tree is still walked and refused if it holds a symlink or a special file.
 */
export async function loadPackAttestations(packDir: string, read?: (packPath: string, maxBytes: number) => Promise<Buffer>): Promise<LoadedAttestation[]> {
  const root: AttestationRoot = { dir: join(packDir, ATTESTATIONS_DIR), origin: 'pack', ...(read ? { read: (rel: string, max: number) => read(`${ATTESTATIONS_DIR}/${rel}`, max) } : {}) };
  return loadFrom(root, packDir);
}

/**
 * Copies the attestation store into the pack, so the pack holds every document it relies on. Reads only under
 * the store (each record and its document once, checked), and writes exactly those bytes, only under
 * <pack>/attestations/: every destination is a validated relative path, created without following symlinks.
 */
export async function copyAttestations(store: string, packDir: string): Promise<number> {
  const root: AttestationRoot = { dir: store, origin: 'store' };
  const records = await listRecords(root);
  const written = new Set<string>();
  const write = async (rel: string, data: Buffer): Promise<void> => {
    if (written.has(rel)) return; // two attestations of one control sharing a document
    try {
      await writeFileUnder(packDir, `${ATTESTATIONS_DIR}/${rel}`, data);
    } catch (err) {
      throw new UserError(`${join(packDir, ATTESTATIONS_DIR, rel)}: cannot copy the attestation into the pack: ${errorMessage(err)} (fix: write packs to a folder of real directories)`);
    }
    written.add(rel);
  };
  for (const rel of records) {
    const record = await readRecord(root, rel);
    await write(rel, record.bytes);
    await write(`${record.attestation.control}/${record.attestation.document.path}`, record.document);
  }
  return records.length;
}

/** Which attestation counts per control at the run's date: the newest valid one; the rest are reported. */
export function judgeAttestations(all: LoadedAttestation[], runStartedAt: string): { chosen: Map<string, LoadedAttestation>; outcomes: AttestationOutcome[] } {
  const day = runStartedAt.slice(0, 10);
  const chosen = new Map<string, LoadedAttestation>();
  const sorted = [...all].sort((a, b) => b.attestation.attestedAt.localeCompare(a.attestation.attestedAt) || a.file.localeCompare(b.file));
  const outcomes: AttestationOutcome[] = sorted.map((l) => {
    const a = l.attestation;
    let state: AttestationState;
    if (a.attestedAt > runStartedAt) state = 'future';
    else if (day > a.expires) state = 'expired';
    else if (chosen.has(a.control)) state = 'superseded';
    else {
      state = 'valid';
      chosen.set(a.control, l);
    }
    return { control: a.control, file: l.file, by: a.by, attestedAt: a.attestedAt, expires: a.expires, result: a.result, state, document: { name: a.document.name, sha256: a.document.sha256 } };
  });
  outcomes.sort((a, b) => a.control.localeCompare(b.control) || a.attestedAt.localeCompare(b.attestedAt));
  return { chosen, outcomes };
}
