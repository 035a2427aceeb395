import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UserError, errorMessage } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { registerAttestCommand } from './commands/attest.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerControlsCommands } from './commands/controls.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerPolicyCommand } from './commands/policy.js';
import { registerPushCommand } from './commands/push.js';
import { registerReportingCommands } from './commands/reporting.js';

export function buildProgram(): Command {
  const program = new Command('auditpack')
    .description('Audit AWS accounts against the Well-Architected security pillar and the shared-responsibility model, with a hashed evidence pack')
    .version(TOOL_VERSION)
    .configureOutput({ outputError: (text, write) => write(`auditpack: ${text.replace(/^error: /, '').trim()} (see --help)\n`) })
    .exitOverride();
  registerAuditCommands(program);
  registerControlsCommands(program);
  registerAttestCommand(program);
  registerReportingCommands(program);
  registerDiffCommand(program);
  registerPushCommand(program);
  registerPolicyCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError || err instanceof InvalidArgumentError) {
      process.stderr.write(`auditpack: ${err.message}\n`);
      return err instanceof UserError ? err.exitCode : 2;
    }
    process.stderr.write(`auditpack: internal error: ${errorMessage(err)}\n${(err as Error).stack ?? ''}\n`);
    return 70;
  }
}
