/**
 * Structural checks of the container image and the scheduled-run examples (README "Scheduled runs"). The Docker
 * engine is not available where the tests run, so the Dockerfile is parsed and compared with what the built CLI
 * reads at run time, and the workflow and CloudFormation examples are parsed and checked field by field.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, type CollectionTag, type ScalarTag, type YAMLMap, type YAMLSeq } from 'yaml';
import { PACKAGE_ROOT } from '../../../src/core/paths.js';
import { loadConfig } from '../../../src/config/config.js';

const ROOT = PACKAGE_ROOT;
const SCHEDULE = join(ROOT, 'examples', 'schedule');
/** Quarterly: minute 0, hour 6, day 1 of January, April, July and October. */
const QUARTERLY_MONTHS = '1,4,7,10';

// ---------------------------------------------------------------------------------------------------------------
// Dockerfile

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile instructions, with comments dropped and `\` continuations joined. */
function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return; // a comment inside a continuation
    if (!pending) start = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/.exec(full)!;
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2] ?? '', line: start });
  });
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      stages.push({ from: image!, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(instruction);
    } else if (instruction.keyword !== 'ARG') {
      throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
    }
  }
  return stages;
}

/** The exec form `["a", "b"]` of ENTRYPOINT/CMD (the shell form would run through /bin/sh and lose signals). */
function execForm(instruction: Instruction | undefined): string[] {
  expect(instruction, 'instruction present').toBeDefined();
  const value: unknown = JSON.parse(instruction!.args);
  expect(Array.isArray(value) && value.every((v) => typeof v === 'string'), `${instruction!.keyword} in exec form`).toBe(true);
  return value as string[];
}

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { ...(from ? { from } : {}), sources: paths.slice(0, -1).map((p) => p.replace(/\/$/, '')), dest: paths.at(-1)! };
    });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

/** Production sources of the CLI: src/ without tests and without the demo (npm run demo, not in the image). */
function cliSources(): string[] {
  return walk(join(ROOT, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !relative(ROOT, f).startsWith('src/demo/'));
}

/**
 * What the CLI reads from the package at run time, derived from the code: the first path segment of every string
 * in a file that uses PACKAGE_ROOT (`join(PACKAGE_ROOT, 'controls')`, `${PACKAGE_ROOT}schemas/…`,
 * 'schemas/vendor/…') that names an entry of the repository root. A new folder read that way and not copied into
 * the image fails this test.
 */
function runtimeDataEntries(): string[] {
  const rootEntries = new Set(readdirSync(ROOT).filter((e) => !['src', 'dist', 'node_modules', 'test'].includes(e)));
  const found = new Set<string>();
  for (const file of cliSources()) {
    const text = readFileSync(file, 'utf8');
    if (!/\bPACKAGE_ROOT\b/.test(text) || relative(ROOT, file) === join('src', 'core', 'paths.ts')) continue;
    for (const match of text.matchAll(/['"`}]([A-Za-z0-9_.-]+)(?=[/'"`$])/g)) if (rootEntries.has(match[1]!)) found.add(match[1]!);
  }
  return [...found].sort();
}

/** Top-level folders besides src/ whose code src/ imports (compiled to dist/<folder>), e.g. collectors. */
function compiledFolders(): string[] {
  const found = new Set<string>(['src']);
  for (const file of cliSources()) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(ROOT, resolve(dirname(file), match[1]!));
      const top = target.split('/')[0]!;
      if (top !== '..' && top !== '') found.add(top);
    }
  }
  return [...found].sort();
}

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = parseDockerfile(dockerfile);
  const runtime = stages.at(-1)!;
  const build = stages.find((s) => s.name === 'build');

  it('is multi-stage on node:20-slim: a build stage and a runtime stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20-slim(@sha256:[0-9a-f]{64})?$/);
    expect(build).toBeDefined();
    const buildRuns = build!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(buildRuns.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(buildRuns.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it('installs production dependencies only in the runtime stage, from the lockfile', () => {
    const runs = runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    const install = runs.find((r) => /\bnpm ci\b/.test(r));
    expect(install, 'npm ci in the runtime stage').toBeDefined();
    expect(install).toMatch(/--omit=dev\b|--production\b/);
    // `prepare` runs tsc, which is a dev dependency: an install without --ignore-scripts would fail.
    expect(install).toMatch(/--ignore-scripts\b/);
    expect(runs.join('\n')).not.toMatch(/\bnpm (install|i)\b/);
    expect(copies(runtime).some((c) => !c.from && c.sources.includes('package-lock.json'))).toBe(true);
  });

  it('runs as the non-root node user, with the CLI as entrypoint and a scheduled run as default command', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(users.at(-1)!.args).toBe('node');
    const workdir = runtime.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args;
    expect(workdir).toMatch(/^\//);
    const entrypoint = execForm(runtime.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1));
    const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['auditpack'];
    expect(entrypoint).toEqual(['node', bin]);
    const cmd = execForm(runtime.instructions.filter((i) => i.keyword === 'CMD').at(-1));
    expect(cmd.slice(0, 3)).toEqual(['run', '--config', '/config/auditpack.yaml']);
    // Config paths must stay in the config folder, so the pack folder outside it is a flag.
    expect(cmd.slice(3)).toEqual(['--out', '/packs']);
    expect(runtime.instructions.filter((i) => i.keyword === 'VOLUME').map((i) => i.args).join(' ')).toContain('/packs');
  });

  it('copies every folder the CLI reads at run time, and the compiled code it imports', () => {
    const data = runtimeDataEntries();
    // What the code reads today; a new entry must also be copied (checked below), so this is the floor, not a cap.
    expect(data).toEqual(expect.arrayContaining(['controls', 'package.json', 'reports', 'schemas', 'templates']));
    const local = copies(runtime).filter((c) => !c.from);
    for (const entry of data) expect(local.some((c) => c.sources.includes(entry)), `COPY ${entry}`).toBe(true);
    const fromBuild = copies(runtime).filter((c) => c.from === 'build');
    for (const folder of compiledFolders()) {
      expect(
        fromBuild.some((c) => c.sources.some((s) => s === `/src/dist/${folder}` || s === '/src/dist')),
        `COPY --from=build dist/${folder}`,
      ).toBe(true);
    }
  });

  it('gives the build stage every file `npm run build` (tsconfig.build.json) compiles, and what they import', () => {
    const copied = copies(build!).filter((c) => !c.from).flatMap((c) => c.sources);
    const isCopied = (file: string): boolean => copied.some((source) => file === source || file.startsWith(`${source}/`));
    const { include } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const queue = include.flatMap((dir) => walk(join(ROOT, dir))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const seen = new Set<string>();
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(isCopied(relative(ROOT, file)), `build COPY of ${relative(ROOT, file)}`).toBe(true);
      for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)) {
        const target = resolve(dirname(file), `${match[1]!}.ts`);
        if (existsSync(target)) queue.push(target);
      }
    }
    expect(seen.size).toBeGreaterThan(100);
    for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) expect(copied, `build COPY ${file}`).toContain(file);
  });

  it('copies nothing else into the runtime image: no sources, tests, keys or packs', () => {
    const allowed = new Set([...runtimeDataEntries(), 'package.json', 'package-lock.json']);
    for (const copy of copies(runtime).filter((c) => !c.from)) for (const source of copy.sources) expect(allowed.has(source), `COPY ${source}`).toBe(true);
    for (const copy of copies(runtime).filter((c) => c.from)) for (const source of copy.sources) expect(source).toMatch(/^\/src\/dist\//);
    expect(dockerfile).not.toMatch(/^\s*(ENV|ARG)\s+\S*(SECRET|PASSWORD|TOKEN|ACCESS_KEY)/im);
    expect(dockerfile).not.toMatch(/^\s*ADD\s/im);
  });

  it('has a .dockerignore that keeps dependencies, outputs, git and keys out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', 'out', '.git', 'coverage', 'packs', 'keys', '**/*.pem', '**/*.p12']) expect(ignored).toContain(entry);
    // Nothing the Dockerfile copies from the context is ignored.
    const context = stages.flatMap((s) => copies(s).filter((c) => !c.from).flatMap((c) => c.sources));
    for (const source of context) {
      expect(ignored, `${source} is copied but ignored`).not.toContain(source);
      expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// GitHub Actions

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

describe('GitHub Actions quarterly workflow', () => {
  const workflow = parse(readFileSync(join(SCHEDULE, 'github-actions-quarterly.yml'), 'utf8')) as {
    on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it('runs quarterly (and on demand)', () => {
    const crons = (workflow.on.schedule ?? []).map((s) => s.cron.trim().split(/\s+/));
    expect(crons).toHaveLength(1);
    const [minute, hour, day, month, weekday] = crons[0]!;
    expect([minute, hour, day, month, weekday]).toEqual(['0', '6', '1', QUARTERLY_MONTHS, '*']);
    expect('workflow_dispatch' in workflow.on).toBe(true);
  });

  it('gets AWS credentials through OIDC only, with least permissions for the token', () => {
    expect(workflow.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    const aws = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(aws?.uses).toMatch(/@v4$/);
    expect(aws?.with?.['role-to-assume']).toMatch(/^arn:aws:iam::.+:role\/\S+$/);
    expect(aws?.with?.['aws-region']).toBeTruthy();
    for (const key of ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token']) expect(aws?.with).not.toHaveProperty(key);
    expect(JSON.stringify(workflow)).not.toMatch(/secrets\./);
  });

  it('runs auditpack run --config on Node 20 and keeps the pack even when the audit exits non-zero', () => {
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(String(node?.with?.['node-version'])).toBe('20');
    const runIndex = steps.findIndex((s) => /\bauditpack run --config auditpack\.yaml\b/.test(s.run ?? ''));
    expect(runIndex).toBeGreaterThan(steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')));
    const out = /--out (\S+)/.exec(steps[runIndex]!.run!)?.[1] ?? 'packs';
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toBeGreaterThan(runIndex);
    const artifact = steps[upload]!;
    expect(artifact.uses).toMatch(/@v4$/);
    expect(artifact.if).toMatch(/always\(\)/);
    expect(String(artifact.with?.['path']).replace(/\/$/, '')).toBe(out);
    expect(Number(artifact.with?.['retention-days'])).toBeGreaterThanOrEqual(90);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// CloudFormation (ECS task on an EventBridge Scheduler schedule)

const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Condition'];

/** CloudFormation's short forms (`!Ref X`, `!Sub [..]`) as their long forms ({ Ref: X }, { 'Fn::Sub': [..] }). */
const CFN_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const tag = `!${name}`;
  const scalar: ScalarTag = {
    tag,
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }),
  };
  const seq: CollectionTag = { tag, collection: 'seq', resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: value.toJSON() as unknown }) };
  const map: CollectionTag = { tag, collection: 'map', resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [key]: value.toJSON() as unknown }) };
  return [scalar, seq, map];
});

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

describe('CloudFormation: quarterly ECS task on EventBridge Scheduler', () => {
  const template = parse(readFileSync(join(SCHEDULE, 'ecs-scheduled-task.yaml'), 'utf8'), { customTags: CFN_TAGS }) as {
    Resources: Record<string, Resource>;
    Parameters: Record<string, unknown>;
  };
  const resources = Object.entries(template.Resources);
  const ofType = (type: string): [string, Resource][] => resources.filter(([, r]) => r.Type === type);

  it('parses with the intrinsic short forms resolved, and every Ref names a parameter, resource or pseudo-parameter', () => {
    const names = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources)]);
    const refs: string[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === 'Ref' && typeof v === 'string') refs.push(v);
          else if (k === 'Fn::GetAtt' && Array.isArray(v)) refs.push(String(v[0]));
          else visit(v);
        }
      }
    };
    visit(template.Resources);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref.startsWith('AWS::') || names.has(ref), `Ref ${ref}`).toBe(true);
  });

  it('schedules the task quarterly through EventBridge', () => {
    const schedules = [...ofType('AWS::Scheduler::Schedule'), ...ofType('AWS::Events::Rule')];
    expect(schedules).toHaveLength(1);
    const props = schedules[0]![1].Properties;
    expect(props['ScheduleExpression']).toBe(`cron(0 6 1 ${QUARTERLY_MONTHS} ? *)`);
    const target = props['Target'] as { Arn: unknown; EcsParameters: { TaskDefinitionArn: unknown; LaunchType: string } };
    expect(target.EcsParameters.TaskDefinitionArn).toEqual({ Ref: ofType('AWS::ECS::TaskDefinition')[0]![0] });
    expect(target.EcsParameters.LaunchType).toBe('FARGATE');
  });

  interface Container {
    Name: string;
    Image: unknown;
    Essential?: boolean;
    Command?: unknown[];
    User?: string;
    DependsOn?: { ContainerName: string; Condition: string }[];
    MountPoints?: { SourceVolume: string; ContainerPath: string; ReadOnly?: boolean }[];
  }
  const taskDefinitions = ofType('AWS::ECS::TaskDefinition');
  const containers = (taskDefinitions[0]?.[1].Properties['ContainerDefinitions'] ?? []) as Container[];
  const auditpack = containers.find((c) => JSON.stringify(c.Image) === JSON.stringify({ Ref: 'ImageUri' }));

  it('runs the auditpack image with `run --config`, as a non-root user, with a task role', () => {
    expect(taskDefinitions).toHaveLength(1);
    expect(taskDefinitions[0]![1].Properties['TaskRoleArn']).toBeDefined();
    expect(auditpack).toBeDefined();
    expect(auditpack!.Command?.slice(0, 3)).toEqual(['run', '--config', '/config/auditpack.yaml']);
    expect(auditpack!.User).not.toMatch(/^(root|0)$/);
    expect(auditpack!.MountPoints?.find((m) => m.ContainerPath === '/config')?.ReadOnly).toBe(true);
  });

  it('keeps the pack in S3 after the audit exits with any code', () => {
    const out = /^(\S+)$/.exec(String(auditpack!.Command?.[auditpack!.Command.indexOf('--out') + 1]))?.[1];
    expect(out).toBe('/packs');
    const packVolume = auditpack!.MountPoints!.find((m) => m.ContainerPath === out)!.SourceVolume;
    const keeper = containers.find((c) => c.DependsOn?.some((d) => d.ContainerName === auditpack!.Name));
    expect(keeper?.DependsOn?.find((d) => d.ContainerName === auditpack!.Name)?.Condition).toBe('COMPLETE');
    expect(keeper?.Essential).toBe(true);
    expect(auditpack!.Essential).toBe(false); // an essential audit container would stop the task before the copy
    expect(keeper?.MountPoints?.some((m) => m.SourceVolume === packVolume)).toBe(true);
    expect(JSON.stringify(keeper?.Command)).toMatch(/"s3".*"\/packs\/?".*s3:\/\//);
    const bucket = ofType('AWS::S3::Bucket')[0]![1].Properties;
    expect(bucket['ObjectLockEnabled']).toBe(true);
    expect(bucket['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
  });

  it('grants the task role no write beyond the pack prefix and no wildcard actions', () => {
    const roles = ofType('AWS::IAM::Role').map(([, r]) => r.Properties);
    const statements = roles.flatMap((r) => ((r['Policies'] ?? []) as { PolicyDocument: { Statement: { Action: string | string[] }[] } }[]).flatMap((p) => p.PolicyDocument.Statement));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).not.toMatch(/\*/);
    expect(actions).not.toContain('s3:DeleteObject');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The example configuration

describe('examples/schedule/auditpack.yaml', () => {
  it('is a valid configuration (schemas/config.schema.json) for an unattended organisation run signed by KMS', async () => {
    const config = await loadConfig(join(SCHEDULE, 'auditpack.yaml'));
    expect(config.organization).toBe(true);
    expect(config.roleName).toBeTruthy();
    expect(config.signing?.kmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(config.signing?.keys).toBeUndefined(); // no private key files for a scheduled run
  });
});

// ---------------------------------------------------------------------------------------------------------------
// README: onboarding and scheduled runs

describe('README onboarding and scheduled runs', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const cliText = walk(join(ROOT, 'src', 'cli'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

  it('shows onboarding as a short command sequence of commands and flags the CLI has', () => {
    const start = readme.indexOf('**Onboarding an organisation**');
    expect(start).toBeGreaterThan(0);
    const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start))![1]!;
    const commands = block.split('\n').filter((l) => /^npx auditpack /.test(l));
    expect(commands.map((l) => l.split(/\s+/)[2])).toEqual(['deploy-template', 'doctor', 'run']);
    for (const line of commands) {
      expect(cliText, `command ${line.split(/\s+/)[2]}`).toContain(`command('${line.split(/\s+/)[2]}')`);
      for (const flag of line.match(/--[a-z-]+/g) ?? []) expect(cliText, `flag ${flag}`).toMatch(new RegExp(`'(-\\w, )?${flag}[ ']`));
    }
    expect(block).toContain('docker build -t auditpack .');
    // The StackSet template's parameters, as the onboarding step passes them.
    const templates = walk(join(ROOT, 'src', 'policy')).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const parameter of block.match(/\b([A-Z]\w+)=/g) ?? []) expect(templates, parameter).toContain(parameter.slice(0, -1));
  });

  it('documents every file of examples/schedule', () => {
    const section = readme.slice(readme.indexOf('## Scheduled runs'));
    for (const file of readdirSync(SCHEDULE)) expect(section, file).toContain(`\`${file}\``);
  });
});
