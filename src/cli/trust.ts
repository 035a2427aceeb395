import type { Command } from 'commander';
import { UserError, errorMessage } from '../core/errors.js';
import { readInputFile } from '../core/safe-fs.js';
import type { PackTrust } from '../verify/open-pack.js';

export interface TrustFlags {
  publicKey?: string;
  fingerprint?: string;
}

/** --public-key / --fingerprint: the key a pack must be signed by, for every command that reads a pack. */
export function trustOptions(cmd: Command, verb = 'read'): Command {
  return cmd
    .option('--public-key <pem>', `only ${verb} packs signed by this manifest public key (the .pub.pem you were given)`)
    .option('--fingerprint <SHA256:hex>', `only ${verb} packs signed by the key with this fingerprint`);
}

export async function readPublicKey(file: string): Promise<string> {
  try {
    return (await readInputFile(file, 64 * 1024)).toString('utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read public key: ${errorMessage(err).replace(/^[^:]*: /, '')} (fix: pass the .pub.pem file you were given)`);
  }
}

export async function trustFrom(flags: TrustFlags): Promise<PackTrust> {
  return {
    ...(flags.publicKey ? { publicKeyPem: await readPublicKey(flags.publicKey) } : {}),
    ...(flags.fingerprint ? { fingerprint: flags.fingerprint } : {}),
  };
}
