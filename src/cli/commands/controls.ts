import type { Command } from 'commander';
import { DEFAULT_CONTROLS_DIR } from '../../core/defaults.js';
import { loadCatalogFrom } from '../lazy.js';

interface Flags {
  controlsDir: string;
  json?: boolean;
}

export function registerControlsCommands(program: Command): void {
  const controls = program.command('controls').description('inspect, lint and test control definitions');
  controls
    .command('list')
    .description('list controls with severity, kind and mappings')
    .option('--controls-dir <dir>', 'directory of control definitions', DEFAULT_CONTROLS_DIR)
    .option('--json', 'machine-readable output')
    .action(async (flags: Flags) => {
      const catalog = await loadCatalogFrom(flags.controlsDir);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(catalog.controls.map((c) => ({ ...c.definition, tests: undefined })), null, 2)}\n`);
        return;
      }
      for (const { definition: d } of catalog.controls) {
        const sh = (d.mappings['security-hub'] ?? []).join(',') || '-';
        const wa = (d.mappings['well-architected'] ?? []).join(',');
        process.stdout.write(`${d.id.padEnd(42)} ${d.severity.padEnd(13)} ${d.kind.padEnd(9)} ${sh.padEnd(16)} ${wa}\n`);
      }
      process.stdout.write(`${catalog.controls.length} controls · catalog ${catalog.digest}\n`);
    });
  controls
    .command('lint')
    .description('validate every control: schema, framework ids, collectors, CEL compilation')
    .option('--controls-dir <dir>', 'directory of control definitions', DEFAULT_CONTROLS_DIR)
    .action(async (flags: Flags) => {
      const catalog = await loadCatalogFrom(flags.controlsDir);
      process.stdout.write(`ok: ${catalog.controls.length} controls valid · catalog ${catalog.digest}\n`);
    });
  controls
    .command('test')
    .description('run every control\'s inline test cases')
    .option('--controls-dir <dir>', 'directory of control definitions', DEFAULT_CONTROLS_DIR)
    .action(async (flags: Flags) => {
      const catalog = await loadCatalogFrom(flags.controlsDir);
      const { runControlTests } = await import('../../evaluate/control-tests.js');
      const outcomes = catalog.controls.flatMap(runControlTests);
      const failed = outcomes.filter((o) => !o.ok);
      for (const o of failed) process.stdout.write(`FAIL ${o.source} "${o.name}": expected ${o.expected}, got ${o.actual}\n    ${o.messages.join('\n    ')}\n`);
      process.stdout.write(`${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
      if (failed.length) process.exitCode = 1;
    });
}
