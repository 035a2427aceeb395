/**
 * Where things live in an evidence pack: the names every layer agrees on. Kept at the bottom of the locker so the
 * collection runner, the pipeline, the exporters and the readers share one definition.
 */
export const RESULTS_FILE = 'results.json';
export const WAIVERS_FILE = 'waivers.yaml';
/** Present while a pack is being collected, or was interrupted: see incomplete.ts. Never listed in a manifest. */
export const INCOMPLETE_FILE = 'incomplete.json';

/** evidence/<account>/<region|global>/<collector>.json */
export function evidencePath(account: string, region: string, collectorId: string): string {
  return `evidence/${account}/${region}/${collectorId}.json`;
}
