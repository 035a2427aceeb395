import type { Command } from 'commander';
import { DEFAULT_CONTROLS_DIR } from '../../core/defaults.js';
import type { AttestInput } from '../../workflow/attestations.js';
import { loadCatalogFrom } from '../lazy.js';

/** The command's options: the attestation input less what the command looks up itself. */
type Flags = Omit<AttestInput, 'control' | 'controlId' | 'now'> & { controlsDir: string };

export function registerAttestCommand(program: Command): void {
  program
    .command('attest')
    .description('record manual evidence for a manual control (or an AWS Artifact report for an inherited one)')
    .argument('<control>', 'control id (kind manual or inherited)')
    .requiredOption('--by <name>', 'who attests, e.g. "Jane Doe (CISO)"')
    .requiredOption('--file <document>', 'the evidence document; copied into the store and hashed')
    .requiredOption('--expires <date>', 'last day the attestation is valid (YYYY-MM-DD)')
    .requiredOption('--statement <text>', 'what is attested')
    .option('--result <status>', 'PASS or FAIL for manual controls (default PASS); INHERITED for inherited ones')
    .option('--period <text>', 'period the document covers (e.g. a SOC 2 report period)')
    .option('--store <dir>', 'attestation store, given later to `run --attestations`', 'attestations')
    .option('--controls-dir <dir>', 'directory of control definitions', DEFAULT_CONTROLS_DIR)
    .action(async (controlId: string, flags: Flags) => {
      const catalog = await loadCatalogFrom(flags.controlsDir);
      const { recordAttestation } = await import('../../workflow/attestations.js');
      const control = catalog.controls.find((c) => c.definition.id === controlId)?.definition;
      const path = await recordAttestation({
        control: control ? { id: control.id, kind: control.kind } : undefined,
        controlId,
        by: flags.by,
        file: flags.file,
        expires: flags.expires,
        statement: flags.statement,
        ...(flags.result ? { result: flags.result } : {}),
        ...(flags.period ? { period: flags.period } : {}),
        store: flags.store,
      });
      process.stdout.write(`attestation recorded: ${path}\nuse it with: auditpack run --attestations ${flags.store}\n`);
    });
}
