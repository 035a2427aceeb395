import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientsFor } from '../../src/collect/aws-access.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import { motoEnv, startMoto } from '../../src/demo/moto.js';
import { seeders } from '../../src/demo/seed/index.js';
import type { SeededIds } from '../../src/demo/seed/types.js';
import { runAuditpack } from './cli-process.js';
import { startRecorder } from './recorder.js';
import { RECORDING_VERSION, writeRecording, type Recording } from './recording.js';

export interface RecordOptions {
  regions: string[];
  /** Where the NDJSON recording is written. */
  file: string;
  log?: (line: string) => void;
}

export interface RecordOutcome {
  recording: Recording;
  seedMs: number;
  recordMs: number;
}

/** An organisation in moto (the caller's account is its management account) with one member account. */
async function createOrganisation(endpoint: string): Promise<{ management: string; member: string }> {
  const org = clientsFor({ account: 'management', endpoint, maxAttempts: 2 }).forRegion('us-east-1').get(OrganizationsClient);
  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const request = await org.send(new CreateAccountCommand({ AccountName: 'workloads-bench', Email: 'aws-workloads-bench@example.com', RoleName: DEMO_ROLE }));
  const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus?.Id }));
  const management = created.Organization?.MasterAccountId;
  const member = status.CreateAccountStatus?.AccountId;
  if (!management || !member) throw new Error('moto did not return the organisation\'s account ids');
  return { management, member };
}

/**
 * Seeds one member account of the demo estate into a fresh moto (every seeder, every region, through the assumed
 * organisation role, as the demo does), then runs the built `auditpack collect` for that account through the
 * recording proxy and writes what it asked and what moto answered.
 */
export async function recordDemoAccount(options: RecordOptions): Promise<RecordOutcome> {
  const log = options.log ?? (() => undefined);
  const moto = await startMoto();
  const out = await mkdtemp(join(tmpdir(), 'auditpack-record-'));
  const saved = { ...process.env };
  try {
    Object.assign(process.env, motoEnv(moto.endpoint));
    const seedStart = performance.now();
    const { management, member } = await createOrganisation(moto.endpoint);
    const clients = clientsFor({ account: member, endpoint: moto.endpoint, maxAttempts: 2, roleName: DEMO_ROLE });
    for (const [i, region] of options.regions.entries()) {
      const seeded: SeededIds = {};
      for (const seeder of seeders) Object.assign(seeded, await seeder.seed({ account: member, role: 'member', region, primary: i === 0, clients: clients.forRegion(region), seeded: { ...seeded } }));
    }
    const seedMs = performance.now() - seedStart;
    log(`seeded member account ${member} in ${options.regions.join(', ')} (${Math.round(seedMs / 1000)} s)`);

    const recorder = await startRecorder(moto.endpoint, member);
    const recordStart = performance.now();
    try {
      const args = ['collect', '--accounts', member, '--role-name', DEMO_ROLE, '--regions', options.regions.join(','), '--out', out];
      const run = await runAuditpack(args, { ...motoEnv(recorder.endpoint) }, 15 * 60_000);
      if (run.code !== 0) throw new Error(`recording: auditpack collect exited ${run.code}\n${run.stderrTail}`);
    } finally {
      await recorder.close();
    }
    const recordMs = performance.now() - recordStart;
    const recording: Recording = {
      header: { kind: 'auditpack-replay-recording', version: RECORDING_VERSION, account: member, management, regions: [...options.regions].sort(), roleName: DEMO_ROLE },
      exchanges: recorder.exchanges(),
    };
    await writeRecording(options.file, recording);
    log(`recorded ${recording.exchanges.length} exchanges of ${member} (${Math.round(recordMs / 1000)} s through moto) into ${options.file}`);
    return { recording, seedMs, recordMs };
  } finally {
    for (const name of Object.keys(motoEnv(moto.endpoint))) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await moto.stop();
    await rm(out, { recursive: true, force: true });
  }
}
