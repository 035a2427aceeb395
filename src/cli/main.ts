import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UserError, errorMessage } from '../core/errors.js';
import { oneLine } from '../core/text.js';
import { TOOL_VERSION } from '../core/version.js';
import { registerAttestCommand } from './commands/attest.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerControlsCommands } from './commands/controls.js';
import { registerDeployTemplateCommand } from './commands/deploy-template.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerMergeCommand } from './commands/merge.js';
import { registerPolicyCommand } from './commands/policy.js';
import { registerPushCommand } from './commands/push.js';
import { registerReportingCommands } from './commands/reporting.js';

export function buildProgram(): Command {
  const program = new Command('auditpack')
    .description('Audit AWS accounts against the Well-Architected security pillar and the shared-responsibility model, with a hashed evidence pack')
    .version(TOOL_VERSION)
    .configureOutput({ outputError: (text, write) => write(`auditpack: ${oneLine(text.replace(/^error: /, ''))} (see --help)\n`) })
    .exitOverride();
  registerAuditCommands(program);
  registerControlsCommands(program);
  registerAttestCommand(program);
  registerReportingCommands(program);
  registerDiffCommand(program);
  registerMergeCommand(program);
  registerPushCommand(program);
  registerPolicyCommand(program);
  registerDeployTemplateCommand(program);
  registerDoctorCommand(program);
  return program;
}

export { oneLine };

const INTERNAL_FIX = 'fix: report this bug; set AUDITPACK_DEBUG=1 for a stack trace';

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError || err instanceof InvalidArgumentError) {
      process.stderr.write(`auditpack: ${oneLine(err.message)}\n`);
      return err instanceof UserError ? err.exitCode : 2;
    }
    // A bug, not bad input: one line by default (a stack trace tells a user nothing and can leak paths); the
    // stack only on request, for the bug report.
    process.stderr.write(`auditpack: internal error: ${oneLine(errorMessage(err))} (${INTERNAL_FIX})\n`);
    if (process.env.AUDITPACK_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 70;
  }
}
