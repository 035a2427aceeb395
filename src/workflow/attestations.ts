import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { YamlSource } from '../catalog/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../catalog/schema.js';
import { UserError, errorMessage } from '../core/errors.js';
import { sha256Hex, writeFileAtomic } from '../core/fs.js';
import type { ControlKind } from '../core/types.js';

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

/** Records an attestation in the store: the YAML record plus a copy of the document, both hashed. */
export async function recordAttestation(input: AttestInput): Promise<string> {
  const now = input.now ?? new Date();
  if (!input.control) throw invalid('control', `"${input.controlId}" is not a known control`, 'use an id from `auditpack controls list`');
  if (input.control.kind === 'automated') throw invalid('control', `"${input.controlId}" is automated: its evidence comes from AWS APIs`, 'attest manual or inherited controls only');
  const result = input.result ?? (input.control.kind === 'inherited' ? 'INHERITED' : 'PASS');
  if (!['PASS', 'FAIL', 'INHERITED'].includes(result)) throw invalid('result', `"${String(result)}" is not PASS, FAIL or INHERITED`, 'use PASS or FAIL (manual) or INHERITED (inherited)');
  if ((input.control.kind === 'inherited') !== (result === 'INHERITED')) throw invalid('result', `${result} does not fit a ${input.control.kind} control`, input.control.kind === 'inherited' ? 'use INHERITED' : 'use PASS or FAIL');
  if (input.by.trim().length < 3) throw invalid('by', 'must name the person attesting', 'pass --by "Full Name (role)"');
  if (input.statement.trim().length < 20) throw invalid('statement', 'is too short to say what is attested', 'write at least 20 characters');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expires) || Number.isNaN(Date.parse(input.expires))) throw invalid('expires', `"${input.expires}" is not a date`, 'use YYYY-MM-DD');
  if (input.expires < now.toISOString().slice(0, 10)) throw invalid('expires', `${input.expires} is in the past`, 'give a future expiry date');
  let document: Buffer;
  try {
    if (!(await stat(input.file)).isFile()) throw new Error('not a regular file');
    document = await readFile(input.file);
  } catch (err) {
    throw invalid('file', `${input.file} cannot be read: ${errorMessage(err)}`, 'attach the evidence document (PDF, image, text)');
  }
  const sha256 = sha256Hex(document);
  const dir = join(input.store, input.controlId);
  const docName = `documents/${sha256.slice(0, 16)}-${basename(input.file)}`;
  await mkdir(join(dir, 'documents'), { recursive: true });
  await copyFile(input.file, join(dir, docName));
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
    document: { name: basename(input.file), path: docName, sha256, bytes: document.length },
  };
  const path = join(dir, `${stamp}-${sha256.slice(0, 8)}.yaml`);
  await writeFileAtomic(path, stringify(record));
  return path;
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'documents') out.push(...(await yamlFilesUnder(path)));
    else if (e.isFile() && e.name.endsWith('.yaml')) out.push(path);
  }
  return out.sort();
}

/**
 * Reads every attestation under `dir` (a store, or a pack's attestations/), checking each record and the hash of
 * its document copy. File names are reported relative to `labelRoot` (the pack root for a pack).
 */
export async function loadAttestations(dir: string, labelRoot: string = dirname(dir)): Promise<LoadedAttestation[]> {
  const loaded: LoadedAttestation[] = [];
  for (const path of await yamlFilesUnder(dir)) {
    const text = await readFile(path, 'utf8');
    const label = relative(labelRoot, path);
    const source = YamlSource.parse(label, text);
    const validate = schemaValidator('attestation.schema.json');
    if (!validate(source.value)) {
      const err = validate.errors![0]!;
      const { problem } = describeSchemaError(err);
      throw source.error(errorPath(err), problem, 'record attestations with `auditpack attest`; see schemas/attestation.schema.json');
    }
    const attestation = source.value as Attestation;
    const doc = await readFile(join(dirname(path), attestation.document.path)).catch(() => undefined);
    if (!doc || sha256Hex(doc) !== attestation.document.sha256)
      throw source.error(['document', 'sha256'], `document ${attestation.document.path} is ${doc ? 'not the one attested (hash differs)' : 'missing'}`, 'restore the attested document or attest again');
    loaded.push({ attestation: { ...attestation, expires: String(attestation.expires) }, file: label, sha256: sha256Hex(text) });
  }
  return loaded;
}

/** Copies the attestation store into the pack, so the pack holds every document it relies on. */
export async function copyAttestations(store: string, packDir: string): Promise<number> {
  const files = await yamlFilesUnder(store);
  for (const path of files) {
    const rel = relative(store, path);
    const record = YamlSource.parse(path, await readFile(path, 'utf8')).value as Attestation;
    const target = join(packDir, ATTESTATIONS_DIR, rel);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(path, target);
    if (record?.document?.path) {
      await mkdir(dirname(join(dirname(target), record.document.path)), { recursive: true });
      await copyFile(join(dirname(path), record.document.path), join(dirname(target), record.document.path));
    }
  }
  return files.length;
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
