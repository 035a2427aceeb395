import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { VALID_CONTROL, controlsDirWith } from '../../helpers/catalog-fixture.js';

/** The in-process catalog cache is keyed by content: the same files give the same catalog, any change reloads. */
describe('catalog cache', () => {
  it('returns the loaded catalog for unchanged files, and reloads (and re-validates) after an edit', async () => {
    const dir = await controlsDirWith({ 'iam/a.yaml': VALID_CONTROL });
    const first = await loadCatalog(dir, collectors);
    expect(await loadCatalog(dir, collectors)).toBe(first);
    await writeFile(join(dir, 'iam/a.yaml'), VALID_CONTROL.replace('title: Root user has MFA enabled', 'title: Root MFA'));
    const edited = await loadCatalog(dir, collectors);
    expect(edited).not.toBe(first);
    expect(edited.controls[0]?.definition.title).toBe('Root MFA');
    expect(edited.digest).not.toBe(first.digest);
    await writeFile(join(dir, 'iam/a.yaml'), VALID_CONTROL.replace('evidence: [iam.account-summary]', 'evidence: [iam.nope]'));
    await expect(loadCatalog(dir, collectors)).rejects.toThrow(/unknown collector "iam\.nope"/);
    // A failure is not kept: fixing the file loads it again.
    await writeFile(join(dir, 'iam/a.yaml'), VALID_CONTROL);
    expect((await loadCatalog(dir, collectors)).digest).toBe(first.digest);
  });

  it('keys on the collectors too', async () => {
    const dir = await controlsDirWith({ 'iam/a.yaml': VALID_CONTROL });
    const all = await loadCatalog(dir, collectors);
    await expect(loadCatalog(dir, collectors.filter((c) => c.id !== 'iam.account-summary'))).rejects.toThrow(/unknown collector "iam\.account-summary"/);
    expect(await loadCatalog(dir, collectors)).toBe(all);
  });
});
