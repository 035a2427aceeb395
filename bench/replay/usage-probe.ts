import { writeFileSync } from 'node:fs';

/**
 * Preloaded into the measured auditpack process (`node --import usage-probe.js`): at exit it writes the process's
 * own resource usage (CPU time of every thread, peak RSS) as JSON to AUDITPACK_BENCH_USAGE_FILE. Nothing else.
 */
const target = process.env.AUDITPACK_BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, JSON.stringify(process.resourceUsage()));
  });
}
