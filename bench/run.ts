import { benchCollect, benchEvaluate, type Figure } from './collect-evaluate.js';

/** `npm run bench`: figures for the notes, never asserted as timed tests. */
async function main(): Promise<void> {
  const sections: [string, () => Promise<Figure[]>][] = [
    ['collection + assessment against moto (demo organisation)', benchCollect],
    ['evaluation', () => benchEvaluate()],
  ];
  for (const [title, run] of sections) {
    process.stdout.write(`\n## ${title}\n`);
    for (const f of await run()) process.stdout.write(`${f.name}: ${f.value} ${f.unit}\n`);
  }
  process.stdout.write(`\npeak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
}

await main();
