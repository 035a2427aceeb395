import { UserError, errorMessage } from '../core/errors.js';
import { formatSummary } from '../cli/summary.js';
import { createProgress } from '../cli/progress.js';
import { collectAndAssess } from '../pipeline/run.js';
import { renderReports } from '../pipeline/report.js';
import { generateKeys, KEY_FILES } from '../sign/keys.js';
import { verifyPack } from '../verify/verify.js';
import { access, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDemoEstate, DEMO_ROLE } from './estate.js';
import { compareExpectations, formatMismatch, loadExpectations } from './expectations.js';
import { prepareDemoWorkflow } from './workflow.js';
import { motoEnv, startMoto } from './moto.js';

/** The newest other pack under `out` (run ids sort by time), if any. */
async function latestPack(out: string, current: string): Promise<string | undefined> {
  const names = (await readdir(out, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory() && /^\d{8}T\d{6}Z-/.test(d.name)).map((d) => d.name);
  const others = names.filter((n) => join(out, n) !== current && !current.endsWith(n)).sort();
  const last = others.at(-1);
  return last && (await access(join(out, last, 'results.json')).then(() => true, () => false)) ? join(out, last) : undefined;
}

/**
 * `npm run demo`: moto server on loopback, a seeded sample organisation (management + member account, two
 * regions), the full audit against it, the summary, and a check that every seeded resource got its expected status.
 */
async function demo(): Promise<number> {
  process.stderr.write('starting moto server on 127.0.0.1 (AWS stand-in; nothing leaves this machine)...\n');
  const moto = await startMoto();
  try {
    Object.assign(process.env, motoEnv(moto.endpoint));
    const estate = await buildDemoEstate(moto.endpoint);
    const expectations = await loadExpectations(estate);
    process.stderr.write(`seeded organisation: management ${estate.management}, member ${estate.member}, regions ${estate.regions.join(', ')} (${expectations.length} expected results)\n`);
    const out = process.env.AUDITPACK_DEMO_OUT ?? 'out/demo';
    const keysDir = join(out, 'demo-keys');
    if (!(await access(join(keysDir, KEY_FILES.manifestPrivate)).then(() => true, () => false))) {
      await generateKeys(keysDir, { organisation: 'Example Corp (demo)', demo: true });
      process.stderr.write(`made DEMO signing keys in ${keysDir} (they prove integrity only: never use them for a real audit)\n`);
    }
    const workflowDir = join(out, 'demo-workflow');
    await rm(workflowDir, { recursive: true, force: true });
    const workflow = await prepareDemoWorkflow(workflowDir);
    const progress = createProgress();
    const { packDir, results } = await collectAndAssess({
      out,
      waiversFile: workflow.waivers,
      attestationsDir: workflow.attestations,
      organization: true,
      roleName: DEMO_ROLE,
      regions: estate.regions,
      endpoint: moto.endpoint,
      maxAttempts: 2,
      onPlan: (totals) => progress.begin(totals),
      onEvent: (e) => progress.onEvent(e),
    }).finally(() => progress.end());
    process.stdout.write(`${formatSummary(results, packDir)}\n`);
    // A second demo run shows what changed since the first, and the score trend over every demo run.
    const previous = await latestPack(out, packDir);
    const reports = await renderReports(packDir, { keysDir, sealedThisRun: true, historyDir: out, ...(previous ? { previousPack: previous } : {}) }).catch(async (err: unknown) => {
      process.stderr.write(`note: earlier demo packs could not be compared (${errorMessage(err)}); rendering without them\n`);
      return renderReports(packDir, { keysDir, sealedThisRun: true });
    });
    for (const w of reports.warnings.filter((x) => !x.includes('DEMO key'))) process.stderr.write(`note: ${w}\n`);
    process.stdout.write(`reports: ${reports.outputs.join(', ')} · signed with ${reports.signedWith ?? 'nothing'} (DEMO key)\n`);
    const pinned = await readFile(join(keysDir, KEY_FILES.manifestPublic), 'utf8');
    const failed = (await verifyPack(packDir, { publicKeyPem: pinned })).checks.filter((c) => !c.ok);
    process.stdout.write(failed.length ? `verify: FAILED ${failed.map((c) => c.subject).join(', ')}\n` : `verify: ok (auditpack verify ${packDir} --public-key ${join(keysDir, KEY_FILES.manifestPublic)})\n`);
    if (failed.length) return 1;
    const mismatches = compareExpectations(results, expectations);
    if (mismatches.length) {
      process.stdout.write(`\ndemo check: ${mismatches.length} of ${expectations.length} seeded results differ from what was expected:\n`);
      for (const m of mismatches) process.stdout.write(`  ${formatMismatch(m)}\n`);
      return 1;
    }
    process.stdout.write(`\ndemo check: all ${expectations.length} seeded results have their expected status\n`);
    return 0;
  } finally {
    await moto.stop();
  }
}

try {
  process.exitCode = await demo();
} catch (err) {
  process.stderr.write(`auditpack demo: ${errorMessage(err)}\n`);
  if (!(err instanceof UserError)) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  process.exitCode = err instanceof UserError ? err.exitCode : 1;
}
