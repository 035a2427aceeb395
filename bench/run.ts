import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCollect, benchEvaluate, type Figure } from './collect-evaluate.js';
import { benchRender } from './render.js';
import { benchThrottling } from './throttling.js';
import { benchConfigSource } from './config-source.js';

const SECTIONS: Record<string, [string, () => Promise<Figure[]>]> = {
  collect: ['collection + assessment against moto (demo organisation)', benchCollect],
  evaluate: ['rule evaluation', () => benchEvaluate()],
  render: ['reports: 100 controls x 20,000 resource results', () => benchRender()],
  config: ['AWS Config as the evidence source for S3: calls per bucket, live vs Config, and a large estate behind added latency', benchConfigSource],
  throttling: ['throttling storm: demo organisation with a third of all calls throttled or 503, default settings', benchThrottling],
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
