import { oneLine } from '../core/text.js';
import type { ResumeSummary } from '../pipeline/resume.js';

/** Invalid evidence files named one per line before a resume collects; the rest are counted (a hostile pack may hold many). */
const SHOWN_INVALID = 20;

/** What a resume found, before it collects: kept vs collected again, and why each invalid file is not kept. */
export function resumeStartLines(r: ResumeSummary): string[] {
  const todo = r.planned - r.kept;
  const lines = [`resuming ${oneLine(r.packDir, 400)} (run ${r.runId}, ${r.accounts} account(s) × ${r.regions} region(s)): ${r.planned} collector runs planned; keeping ${r.kept}, collecting ${todo} (${r.missing} missing, ${r.errored} errored, ${r.invalid.length} invalid)`];
  for (const i of r.invalid.slice(0, SHOWN_INVALID)) lines.push(`  collecting again ${oneLine(i.path, 400)}: ${oneLine(i.reason, 400)}`);
  if (r.invalid.length > SHOWN_INVALID) lines.push(`  ... and ${r.invalid.length - SHOWN_INVALID} more invalid evidence files (run.json lists every run collected again)`);
  return lines;
}

/** The closing line of a resume, once the pack is sealed. */
export function resumeEndLine(r: ResumeSummary): string {
  return `resumed ${oneLine(r.packDir, 400)}: ${r.kept} collector runs kept byte for byte, ${r.planned - r.kept} collected now; sealed`;
}
