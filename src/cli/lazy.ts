import type { Catalog } from '../catalog/load.js';

/**
 * The catalog, loaded only when a command needs it: `auditpack --help` and the commands that do not judge
 * anything never load CEL, the collectors or the AWS SDK.
 */
export async function loadCatalogFrom(controlsDir: string): Promise<Catalog> {
  const [{ loadCatalog }, { collectors }] = await Promise.all([import('../catalog/load.js'), import('../../collectors/index.js')]);
  return loadCatalog(controlsDir, collectors);
}
