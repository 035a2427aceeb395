import type { Collector } from '../../core/collector.js';
import { cloudFormationTemplate, renderCloudFormation } from './cloudformation.js';
import { describeRoles, templateRoles, type TemplateOptions } from './model.js';
import { stackSetTemplate } from './stackset.js';
import { terraformStackSet, terraformTemplate } from './terraform.js';

export type DeployFormat = 'cloudformation' | 'terraform';

export interface DeployTemplateOptions extends TemplateOptions {
  format: DeployFormat;
  /** The service-managed StackSet wrapper instead of the single-account template. */
  stackset?: boolean;
  /** CloudFormation as JSON instead of YAML. */
  json?: boolean;
}

/** The deploy template's text (deterministic: the same collectors and options give the same bytes) and a summary line. */
export function deployTemplate(collectors: readonly Collector[], options: DeployTemplateOptions): { text: string; summary: string } {
  const roles = templateRoles(collectors, options);
  const member = cloudFormationTemplate(roles);
  let text: string;
  if (options.format === 'terraform') text = options.stackset ? terraformStackSet(roles, member) : terraformTemplate(roles);
  else text = renderCloudFormation(options.stackset ? stackSetTemplate(roles, member) : member, options.json ? 'json' : 'yaml');
  return { text, summary: `${options.stackset ? 'service-managed StackSet of ' : ''}${describeRoles(roles)}` };
}
