import type { Command } from 'commander';
import { Option } from 'commander';

interface DeployTemplateFlags {
  format: 'cloudformation' | 'terraform';
  out: string;
  stackset?: boolean;
  pushRole?: boolean;
  roleName?: string;
  pushRoleName?: string;
}

export function registerDeployTemplateCommand(program: Command): void {
  program
    .command('deploy-template')
    .description('write a CloudFormation or Terraform template of the audit role, generated from the same policy `auditpack policy` prints')
    .addOption(new Option('--format <format>', 'template language').choices(['cloudformation', 'terraform']).makeOptionMandatory())
    .requiredOption('--out <file>', 'file to write (CloudFormation: YAML, or JSON when the name ends in .json)')
    .option('--stackset', 'wrap it in a service-managed StackSet that deploys it to every account of the given OUs')
    .option('--push-role', 'also the separate Security Hub push role')
    .option('--role-name <name>', 'default name of the audit role', 'AuditpackReadOnly')
    .option('--push-role-name <name>', 'default name of the push role', 'AuditpackSecurityHubPush')
    .action(async (flags: DeployTemplateFlags) => {
      const [{ collectors }, { deployTemplate }, { writeFileAtomic }] = await Promise.all([
        import('../../../collectors/index.js'),
        import('../../policy/templates/index.js'),
        import('../../core/fs.js'),
      ]);
      const { text, summary } = deployTemplate(collectors, { ...flags, json: flags.out.toLowerCase().endsWith('.json') });
      await writeFileAtomic(flags.out, text);
      process.stdout.write(`wrote ${flags.out}: ${summary}\n`);
    });
}
