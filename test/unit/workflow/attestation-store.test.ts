import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../../src/core/paths.js';
import { UserError } from '../../../src/core/errors.js';
import { CONTROL_ID_PATTERN, safeDocumentName } from '../../../src/workflow/attestation-store.js';
import { copyAttestations, loadAttestations, loadPackAttestations, recordAttestation, type AttestInput } from '../../../src/workflow/attestations.js';

const CONTROL = 'manual-threat-model';
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const mkfifo = (path: string): void => void execFileSync('mkfifo', [path]);

let work: string;
let store: string;
let doc: string;
let recordPath: string;

function input(over: Partial<AttestInput> = {}): AttestInput {
  return { control: { id: CONTROL, kind: 'manual' }, controlId: CONTROL, by: 'Jane Doe (CISO)', file: doc, expires: '2099-12-31', statement: 'Threat model reviewed for every production workload.', store, ...over };
}

/** The error a promise rejects with, checked to be a one-line UserError with the exit code expected. */
async function refused(promise: Promise<unknown>, exitCode = 2): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').toBeInstanceOf(UserError);
  const message = (err as UserError).message;
  expect(message.split('\n')).toHaveLength(1);
  expect((err as UserError).exitCode).toBe(exitCode);
  return message;
}

async function editRecord(change: (record: Record<string, unknown>) => unknown): Promise<void> {
  const record = parse(await readFile(recordPath, 'utf8')) as Record<string, unknown>;
  await writeFile(recordPath, stringify(change(record) ?? record));
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-attest-'));
  store = join(work, 'store');
  doc = join(work, 'threat-model.pdf');
  await writeFile(doc, '%PDF-1.4 stand-in threat model');
  recordPath = await recordAttestation(input());
});

describe('the attestation store layout', () => {
  it('uses the control id pattern of schemas/control.schema.json', async () => {
    const schema = JSON.parse(await readFile(join(PACKAGE_ROOT, 'schemas', 'control.schema.json'), 'utf8')) as { properties: { id: { pattern: string } } };
    expect(CONTROL_ID_PATTERN.source).toBe(schema.properties.id.pattern);
  });

  it('loads a store written by attest, and copies exactly its record and document under <pack>/attestations', async () => {
    await writeFile(join(store, 'README.md'), 'not an attestation');
    expect(await loadAttestations(store)).toHaveLength(1);
    const pack = join(work, 'pack');
    await mkdir(pack);
    expect(await copyAttestations(store, pack)).toBe(1);
    expect(await readdir(pack)).toEqual(['attestations']);
    const copied = await readdir(join(pack, 'attestations', CONTROL, 'documents'));
    expect(copied).toHaveLength(1);
    expect(await readdir(join(pack, 'attestations'))).toEqual([CONTROL]); // the stray README is not copied
    expect(await loadPackAttestations(pack)).toHaveLength(1);
  });
});

describe('attacks on a store (exit 2, one line naming file and field)', () => {
  it.each([
    ['a document path that climbs out', '../../etc/passwd', /field "document\.path": ".*" path leaves its folder with "\.\."/],
    ['an absolute document path', '/etc/passwd', /field "document\.path": "\/etc\/passwd" path is an absolute path/],
    ['a document path outside documents/', 'other.yaml', /field "document\.path": "other\.yaml" is not documents\/<file name>/],
  ])('refuses %s', async (_name, path, pattern) => {
    const passwd = await readFile('/etc/passwd');
    await editRecord((r) => ({ ...r, document: { ...(r.document as object), path, sha256: sha256(passwd), bytes: passwd.length } }));
    const message = await refused(loadAttestations(store));
    expect(message).toContain(recordPath);
    expect(message).toMatch(pattern);
  });

  it('refuses a document that is a symlink to /etc/passwd, even with the right hash', async () => {
    const passwd = await readFile('/etc/passwd');
    const record = parse(await readFile(recordPath, 'utf8')) as { document: { path: string } };
    const target = join(store, CONTROL, record.document.path);
    await rm(target);
    await symlink('/etc/passwd', target);
    await editRecord((r) => ({ ...r, document: { ...(r.document as object), sha256: sha256(passwd), bytes: passwd.length } }));
    expect(await refused(loadAttestations(store))).toMatch(/documents\/.*: is a symbolic link; attestations are regular files only/);
    expect(await refused(copyAttestations(store, join(work, 'pack')))).toMatch(/is a symbolic link/);
  });

  it('refuses a document that is a FIFO, without blocking', { timeout: 10_000 }, async () => {
    const record = parse(await readFile(recordPath, 'utf8')) as { document: { path: string } };
    const target = join(store, CONTROL, record.document.path);
    await rm(target);
    mkfifo(target);
    expect(await refused(loadAttestations(store))).toMatch(/: is a FIFO; attestations are regular files only/);
  });

  it('refuses a record that is a FIFO, and a control folder that is a symlink', { timeout: 10_000 }, async () => {
    mkfifo(join(store, CONTROL, '20990101T000000Z-deadbeef.yaml'));
    expect(await refused(loadAttestations(store))).toMatch(/20990101T000000Z-deadbeef\.yaml: is a FIFO/);
    await rm(join(store, CONTROL, '20990101T000000Z-deadbeef.yaml'));
    await symlink('/etc', join(store, 'manual-security-training'));
    expect(await refused(loadAttestations(store))).toMatch(/manual-security-training: is a symbolic link/);
  });

  it('refuses a record filed under another control, and a control id that is a path', async () => {
    await editRecord((r) => ({ ...r, control: 'manual-security-training' }));
    expect(await refused(loadAttestations(store))).toMatch(/field "control": is "manual-security-training" but the record is in the folder of manual-threat-model/);
    await editRecord((r) => ({ ...r, control: '../../etc' }));
    expect(await refused(loadAttestations(store))).toMatch(/field "control": must match pattern/);
  });

  it('refuses records outside <control>/ and folders that are not control ids', async () => {
    await writeFile(join(store, 'loose.yaml'), await readFile(recordPath));
    expect(await refused(loadAttestations(store))).toMatch(/loose\.yaml: is not where attestation records live/);
    await rm(join(store, 'loose.yaml'));
    await mkdir(join(store, 'Not_An_Id'));
    await writeFile(join(store, 'Not_An_Id', 'x.yaml'), await readFile(recordPath));
    expect(await refused(loadAttestations(store))).toMatch(/Not_An_Id: folder name is not a control id/);
  });

  it.each([
    ['a wrong type', (r: Record<string, unknown>) => ({ ...r, document: 'x' }), /field "document": must be object/],
    ['a wrong nested type', (r: Record<string, unknown>) => ({ ...r, document: { ...(r.document as object), bytes: 'many' } }), /field "document\.bytes": must be integer/],
    ['a control character in the document name', (r: Record<string, unknown>) => ({ ...r, document: { ...(r.document as object), name: 'plan\u001b[31m.pdf' } }), /field "document\.name": contains control/],
    ['a wrong size', (r: Record<string, unknown>) => ({ ...r, document: { ...(r.document as object), bytes: 1 } }), /field "document\.bytes": is 1 but the document has \d+ bytes/],
    ['a top-level list', () => [1, 2], /field "\(document\)": must be object/],
  ])('refuses a record with %s', async (_name, change, pattern) => {
    await editRecord(change);
    expect(await refused(loadAttestations(store))).toMatch(pattern);
  });

  it('refuses an alias bomb and an oversized record in one line naming the file', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    await writeFile(recordPath, `${bomb.join('\n')}\n`);
    expect(await refused(loadAttestations(store))).toContain(recordPath);
    await writeFile(recordPath, `statement: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
    expect(await refused(loadAttestations(store))).toMatch(/: is \d+ bytes, more than the limit of 4194304/);
  });

  it('refuses a store that does not exist, or is a file', async () => {
    expect(await refused(loadAttestations(join(work, 'nope')))).toMatch(/attestation store does not exist/);
    expect(await refused(loadAttestations(doc))).toMatch(/is a file, not an attestation folder/);
  });
});

describe('a pack\'s attestations folder (exit 4: the pack was altered)', () => {
  let pack: string;
  beforeEach(async () => {
    pack = join(work, 'pack');
    await mkdir(pack);
    await copyAttestations(store, pack);
  });

  it('refuses a symlink or a FIFO planted in it', { timeout: 10_000 }, async () => {
    await symlink('/etc/passwd', join(pack, 'attestations', CONTROL, 'documents', 'x'));
    expect(await refused(loadPackAttestations(pack), 4)).toMatch(/is a symbolic link.*fix: restore the original pack/);
    await rm(join(pack, 'attestations', CONTROL, 'documents', 'x'));
    mkfifo(join(pack, 'attestations', CONTROL, 'x.yaml'));
    expect(await refused(loadPackAttestations(pack), 4)).toMatch(/x\.yaml: is a FIFO/);
  });

  it('refuses an attestations folder that is a symlink, and an edited record', async () => {
    const other = join(work, 'pack2');
    await mkdir(other);
    await symlink(store, join(other, 'attestations'));
    expect(await refused(loadPackAttestations(other), 4)).toMatch(/is a symbolic link, not an attestation folder/);
    const [record] = (await readdir(join(pack, 'attestations', CONTROL))).filter((f) => f.endsWith('.yaml'));
    await writeFile(join(pack, 'attestations', CONTROL, record!), (await readFile(join(pack, 'attestations', CONTROL, record!), 'utf8')).replace('path: documents/', 'path: ../../'));
    expect(await refused(loadPackAttestations(pack), 4)).toMatch(/field "document\.path".*fix: restore the original pack/);
  });
});

describe('copying a store into a pack writes only under <pack>/attestations', () => {
  it('refuses a pack whose attestations folder is a symlink, writing nothing through it', async () => {
    const pack = join(work, 'pack');
    const outside = join(work, 'outside');
    await mkdir(pack);
    await mkdir(outside);
    await symlink(outside, join(pack, 'attestations'));
    expect(await refused(copyAttestations(store, pack))).toMatch(/cannot copy the attestation into the pack: .*goes through a symbolic link/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a control folder in the pack that is a symlink', async () => {
    const pack = join(work, 'pack');
    const outside = join(work, 'outside');
    await mkdir(join(pack, 'attestations'), { recursive: true });
    await mkdir(outside);
    await symlink(outside, join(pack, 'attestations', CONTROL));
    await refused(copyAttestations(store, pack));
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('auditpack attest', () => {
  it('refuses a control id that is a path, writing nothing', async () => {
    const fresh = join(work, 'fresh');
    for (const id of ['../../escape', '../x', '/tmp/x', 'a/b']) {
      expect(await refused(recordAttestation(input({ controlId: id, store: fresh })))).toMatch(/--control ".*" is not a control id/);
    }
    await expect(stat(fresh)).rejects.toThrow();
    await expect(stat(join(work, 'escape'))).rejects.toThrow();
  });

  it('refuses a FIFO and a device as the document, without blocking', { timeout: 10_000 }, async () => {
    mkfifo(join(work, 'fifo'));
    expect(await refused(recordAttestation(input({ file: join(work, 'fifo') })))).toMatch(/--file .*fifo cannot be read: is a FIFO, not a regular file/);
    expect(await refused(recordAttestation(input({ file: '/dev/zero' })))).toMatch(/--file \/dev\/zero cannot be read: is a device/);
  });

  it('stores the document under a sanitised name: base name, no control characters, bounded length', async () => {
    const hostile = join(work, `a\nb\u202e${'x'.repeat(200)}.pdf`);
    await writeFile(hostile, 'evidence');
    const path = await recordAttestation(input({ file: hostile }));
    const record = parse(await readFile(path, 'utf8')) as { document: { name: string; path: string } };
    expect(record.document.name).toMatch(/^a_b_x+\.pdf$/);
    expect(Buffer.byteLength(record.document.name)).toBeLessThanOrEqual(120);
    expect(record.document.path).toBe(`documents/${sha256('evidence').slice(0, 16)}-${record.document.name}`);
    expect(await loadAttestations(store)).toHaveLength(2);
    expect(safeDocumentName('..')).toBe('document');
    expect(safeDocumentName('C:\\Users\\me\\plan.pdf')).toBe('plan.pdf');
  });

  it('refuses a store whose control folder is a symlink, writing nothing through it', async () => {
    const outside = join(work, 'outside');
    await mkdir(outside);
    await symlink(outside, join(store, 'manual-security-training'));
    expect(await refused(recordAttestation(input({ control: { id: 'manual-security-training', kind: 'manual' }, controlId: 'manual-security-training' })))).toMatch(/--store .* goes through a symbolic link/);
    expect(await readdir(outside)).toEqual([]);
  });
});
