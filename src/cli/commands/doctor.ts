import type { Command } from 'commander';
import { Option } from 'commander';
import { parseList, parsePositiveInt } from '../options.js';

interface DoctorFlags {
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  endpoint?: string;
  maxAttempts: number;
  concurrency: number;
  pushSecurityhub?: boolean;
  json?: boolean;
}

/** `auditpack doctor`: the pre-flight checks of an audit with the same scope options as `run` (loaded on use). */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check, in seconds, that an audit with these options would be complete: identity, accounts, role, regions, permissions, AWS Config, Security Hub')
    .option('--regions <list>', 'comma-separated regions (default: every enabled region)', parseList)
    .option('--accounts <list>', 'comma-separated account ids (default: the caller\'s account)', parseList)
    .option('--organization', 'every active account of the AWS Organization (organizations:ListAccounts)')
    .option('--role-name <name>', 'role assumed in accounts other than the caller\'s')
    .addOption(new Option('--endpoint <url>', 'AWS endpoint override (default: AWS_ENDPOINT_URL)').hideHelp())
    .option('--max-attempts <n>', 'attempts per call for transient errors', parsePositiveInt, 2)
    .option('--concurrency <n>', 'checks in flight', parsePositiveInt, 8)
    .option('--push-securityhub', 'also check that Security Hub is enabled in every account and region')
    .option('--json', 'print the report as JSON (schema auditpack-doctor/1)')
    .action(async (flags: DoctorFlags) => {
      const [{ doctor }, { formatDoctor, DOCTOR_INCOMPLETE_EXIT_CODE }] = await Promise.all([import('../../pipeline/doctor/doctor.js'), import('../../pipeline/doctor/format.js')]);
      const report = await doctor({
        ...(flags.organization ? { organization: true } : {}),
        ...(flags.accounts ? { accounts: flags.accounts } : {}),
        ...(flags.roleName ? { roleName: flags.roleName } : {}),
        ...(flags.regions ? { regions: flags.regions } : {}),
        ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
        maxAttempts: flags.maxAttempts,
        concurrency: flags.concurrency,
        pushSecurityhub: flags.pushSecurityhub === true,
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDoctor(report)}\n`);
      process.exitCode = report.incomplete ? DOCTOR_INCOMPLETE_EXIT_CODE : 0;
    });
}
