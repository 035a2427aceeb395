import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { buckets } from '../collectors/s3/buckets.js';
import { clientsFor } from '../src/collect/aws-access.js';
import { ConfigSources } from '../src/collect/config-source.js';
import { runCollector } from '../src/collect/run-collector.js';
import { motoEnv, startMoto } from '../src/demo/moto.js';
import { startFaultProxy } from '../test/support/fault-proxy.js';
import type { Figure } from './collect-evaluate.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** Buckets without a public ACL grant (moto answers 500 to a Config batch holding one: a moto gap, not measured here). */
async function seedBuckets(endpoint: string, from: number, to: number): Promise<void> {
  const s3 = new S3Client({ region: REGION, endpoint, forcePathStyle: true });
  const limit = pLimit(16);
  await Promise.all(Array.from({ length: to - from }, (_, i) => limit(() => s3.send(new CreateBucketCommand({ Bucket: `bench-${String(from + i).padStart(6, '0')}` })))));
}

async function collectOnce(endpoint: string, source: 'api' | 'config'): Promise<{ calls: number; seconds: number; resources: number; fromConfig: number }> {
  const clients = clientsFor({ account: ACCOUNT, endpoint, maxAttempts: 3 }).forRegion(REGION);
  const sources = new ConfigSources({ source: 'config', maxAgeMs: 86_400_000, runStart: new Date(), regions: [REGION], homeRegion: REGION, motoShim: true });
  const config = source === 'config' ? sources.sourceFor({ account: ACCOUNT, clientsFor: () => clients }, REGION, 'account') : undefined;
  const started = performance.now();
  const record = await runCollector(buckets, { account: ACCOUNT, region: REGION, clients, ...(config ? { config } : {}), perResourceConcurrency: 32 });
  if (record.status !== 'ok') throw new Error(`bench: collection failed: ${record.error?.message}`);
  return { calls: record.calls.length, seconds: (performance.now() - started) / 1000, resources: record.resources.length, fromConfig: record.resources.filter((r) => r.provenance).length };
}

/**
 * Calls per S3 bucket, live (--source api) against AWS Config (--source config) on moto, then the wall time of a
 * large estate (BENCH_CONFIG_BUCKETS, default 2,000: 10,000 live buckets at +20 ms take over 6 minutes on 2 CPUs) through the fault proxy adding BENCH_LATENCY_MS (default 20)
 * to every request, as a distant endpoint would.
 */
export async function benchConfigSource(): Promise<Figure[]> {
  const small = 200;
  const large = Number(process.env.BENCH_CONFIG_BUCKETS ?? 2_000);
  const latency = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint, { rules: [{ fault: 'throttle', rate: 0, delayMs: latency }] });
  try {
    Object.assign(process.env, motoEnv(moto.endpoint));
    await seedBuckets(moto.endpoint, 0, small);
    const liveSmall = await collectOnce(moto.endpoint, 'api');
    const configSmall = await collectOnce(moto.endpoint, 'config');
    const figures: Figure[] = [
      { name: `calls per bucket, live (${small} buckets)`, value: Number((liveSmall.calls / small).toFixed(2)), unit: 'calls' },
      { name: `calls per bucket, AWS Config (${small} buckets; moto lacks versioning and encryption: 2 live calls each)`, value: Number((configSmall.calls / small).toFixed(2)), unit: 'calls' },
    ];
    const seedStart = performance.now();
    await seedBuckets(moto.endpoint, small, large);
    figures.push({ name: `seeding ${large} buckets into moto`, value: Math.round((performance.now() - seedStart) / 1000), unit: 's' });
    for (const source of ['api', 'config'] as const) {
      const r = await collectOnce(proxy.endpoint, source);
      figures.push({ name: `${large} buckets via ${source}, +${latency} ms a request: wall time`, value: Number(r.seconds.toFixed(1)), unit: 's' });
      figures.push({ name: `${large} buckets via ${source}: calls (${r.fromConfig} of ${r.resources} from Config)`, value: r.calls, unit: 'calls' });
    }
    return figures;
  } finally {
    await proxy.close();
    await moto.stop();
  }
}
