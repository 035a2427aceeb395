import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCollect, benchEvaluate, type Figure } from './collect-evaluate.js';
import { benchRender } from './render.js';
import { benchRenderScale } from './render-scale.js';
import { benchThrottling } from './throttling.js';
import { benchConfigSource } from './config-source.js';
import { benchScale } from './scale.js';

const SECTIONS: Record<string, [string, () => Promise<Figure[]>]> = {
  collect: ['collection + assessment against moto (demo organisation)', benchCollect],
  evaluate: ['rule evaluation', () => benchEvaluate()],
  render: ['reports: 100 controls x 20,000 resource results', () => benchRender()],
  'render-scale': ['reports of 1,000 accounts: 100 controls x 300,000 resource results, before and after the caps (each in its own process)', () => benchRenderScale()],
  config: ['AWS Config as the evidence source for S3: calls per bucket, live vs Config, and a large estate behind added latency', benchConfigSource],
  throttling: ['throttling storm: demo organisation with a third of all calls throttled or 503, default settings', benchThrottling],
  // `npm run bench -- scale --sizes 1,10,100,1000 --latency-ms 50 --regions us-east-1 [--recording FILE] [-- extra run flags]`
  scale: ['organisation scale: the built CLI against the replay endpoint, 1 to 1,000 accounts', () => benchScale(process.argv.slice(3))],
};

/** Each section runs in its own process so its peak memory is its own. Figures for notes, never timed tests. */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (only) {
    const section = SECTIONS[only];
    if (!section) throw new Error(`unknown bench section ${only}`);
    const figures = await section[1]();
    figures.push({ name: 'peak RSS of this section', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB' });
    process.stdout.write(`\n## ${section[0]}\n${figures.map((f) => `${f.name}: ${f.value} ${f.unit}`).join('\n')}\n`);
    return;
  }
  for (const name of Object.keys(SECTIONS)) {
    await new Promise<void>((resolve, reject) => {
      fork(fileURLToPath(import.meta.url), [name], { stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bench ${name} exited ${code}`))));
    });
  }
}

await main();
