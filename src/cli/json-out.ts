import { once } from 'node:events';
import { canonicalJsonChunks } from '../core/json.js';

/**
 * Prints a document as canonical JSON (the bytes auditpack writes into packs: sorted keys, two-space indent,
 * trailing newline), chunk by chunk with backpressure: a thousand-account results document is never one string.
 */
export async function printJson(value: unknown, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  for (const chunk of canonicalJsonChunks(value)) {
    if (!stream.write(chunk)) await once(stream, 'drain');
  }
}
