import type { Catalog } from '../catalog/load.js';
import { loadCatalog, DEFAULT_CONTROLS_DIR } from '../catalog/load.js';
import { collectors as allCollectors } from '../../collectors/index.js';
import type { ResultsDocument } from '../results/types.js';
import { assessPack, collectorsFor, selectControls, type AssessOptions } from './assess.js';
import { collect, type CollectOptions } from './collect.js';
import { resumeCollect, type ResumeOptions } from './resume.js';

export type RunOptions = Omit<CollectOptions, 'collectors'> &
  AssessOptions & {
    /** An interrupted pack to finish (`run --resume`) instead of a new one under `out`; its scope comes from the pack. */
    resume?: string;
    onResume?: ResumeOptions['onResume'];
  };

/** collect (or resume an interrupted collection) + assess: the whole audit. The catalog is loaded (and validated) before any AWS call. */
export async function collectAndAssess(options: RunOptions): Promise<{ packDir: string; results: ResultsDocument; catalog: Catalog }> {
  const catalog = options.catalog ?? (await loadCatalog(options.controlsDir ?? DEFAULT_CONTROLS_DIR, allCollectors));
  const selected = selectControls(catalog, options.controlIds);
  const collectors = options.controlIds?.length ? collectorsFor(selected) : allCollectors;
  const { packDir } = options.resume ? await resumeCollect({ ...options, pack: options.resume }) : await collect({ ...options, collectors });
  const results = await assessPack(packDir, { ...options, catalog });
  return { packDir, results, catalog };
}
