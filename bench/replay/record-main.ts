import { parseArgs } from 'node:util';
import { recordDemoAccount } from './record.js';

/**
 * `npx tsx bench/replay/record-main.ts --out recording.ndjson [--regions eu-west-1,us-east-1]`: records one demo
 * account for the replay endpoint, to reuse with `npm run bench -- scale --recording FILE`.
 */
const { values } = parseArgs({ options: { out: { type: 'string' }, regions: { type: 'string' } } });
if (!values.out) throw new Error('--out FILE is required');
const regions = (values.regions ?? 'eu-west-1,us-east-1').split(',').filter(Boolean);
await recordDemoAccount({ regions, file: values.out, log: (l) => process.stderr.write(`${l}\n`) });
