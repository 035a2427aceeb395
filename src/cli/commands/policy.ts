import type { Command } from 'commander';

export function registerPolicyCommand(program: Command): void {
  program
    .command('policy')
    .description('print the least-privilege IAM policy the audit role needs (union of the collectors\' permissions)')
    .option('--list', 'list each collector with its scope and permissions instead')
    .option('--securityhub', 'print the separate policy for pushing findings to Security Hub instead')
    .action(async (flags: { list?: boolean; securityhub?: boolean }) => {
      const [{ collectors }, { auditorPolicy, securityHubPushPolicy }] = await Promise.all([import('../../../collectors/index.js'), import('../../policy/policy.js')]);
      if (flags.securityhub) {
        process.stdout.write(`${JSON.stringify(securityHubPushPolicy(), null, 2)}\n`);
        return;
      }
      if (flags.list) {
        for (const c of collectors) process.stdout.write(`${c.id.padEnd(36)} ${c.scope.padEnd(8)} ${c.permissions.join(', ')}\n`);
        return;
      }
      process.stdout.write(`${JSON.stringify(auditorPolicy(collectors), null, 2)}\n`);
    });
}
