/**
 * Static checks of docker-compose.yml, Dockerfile and .dockerignore against CONTRACT.md §1.2 and
 * against what `npm run build` actually produces. Docker itself is not needed to run them.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse } from 'yaml';
import { DEFAULT_PORT, DEFAULT_SECRET } from '../test-merchant/server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const toPosix = (path: string): string => path.split('\\').join('/');
/** Every way of starting the gateway caps the V8 heap the same way (README "Performance"). */
const HEAP_LIMIT = '--max-old-space-size=256';

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  pull_policy?: string;
  container_name?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number)[];
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
// `merge: true` resolves `<<:` merge keys the way Compose does.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = compose.services;

function env(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(
      raw.map((entry) => {
        const at = entry.indexOf('=');
        return at === -1 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, String(value ?? '')]));
}

function dependsOn(service: Service): Record<string, string> {
  const raw = service.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([name, spec]) => [name, spec.condition]));
}

function words(command: string | string[] | undefined): string[] {
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.trim().split(/\s+/);
}

function healthcheckText(service: Service): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

const GATEWAY_ENV = {
  DATABASE_URL: 'postgresql://gateway_user:gateway_pass@postgres:5432/payment_gateway',
  REDIS_URL: 'redis://redis:6379',
  NODE_ENV: 'development',
  PORT: '8000',
};

describe('docker-compose.yml (CONTRACT §1.2)', () => {
  it('should define exactly the five services with their container names', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'test-merchant', 'worker']);
    expect(
      Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.container_name])),
    ).toEqual({
      postgres: 'pg_gateway',
      redis: 'redis_gateway',
      api: 'gateway_api',
      worker: 'gateway_worker',
      'test-merchant': 'gateway_test_merchant',
    });
  });

  it('should publish exactly the contract ports', () => {
    const ports = (name: string) => (services[name].ports ?? []).map(String);

    expect(ports('postgres')).toEqual(['5432:5432']);
    expect(ports('redis')).toEqual(['6379:6379']);
    expect(ports('api')).toEqual(['8000:8000', '3000:8000', '3001:8000']);
    expect(services.worker.ports).toBeUndefined();
    expect(ports('test-merchant')).toEqual(['4000:4000']);
  });

  it('should run postgres 15 with the contract database, user and password on a named volume', () => {
    const postgres = services.postgres;

    expect(postgres.image).toBe('postgres:15-alpine');
    expect(env(postgres)).toEqual({
      POSTGRES_DB: 'payment_gateway',
      POSTGRES_USER: 'gateway_user',
      POSTGRES_PASSWORD: 'gateway_pass',
    });
    expect(postgres.volumes).toEqual([expect.stringMatching(/^[\w-]+:\/var\/lib\/postgresql\/data$/)]);
    expect(healthcheckText(postgres)).toMatch(/pg_isready\b.*-U gateway_user\b.*-d payment_gateway\b/);
  });

  it('should run redis 7 with an append-only file on a named volume', () => {
    const redis = services.redis;

    expect(redis.image).toBe('redis:7-alpine');
    expect(words(redis.command)).toEqual(expect.arrayContaining(['redis-server', '--appendonly', 'yes']));
    expect(words(redis.command).join(' ')).toContain('--appendonly yes');
    expect(redis.volumes).toEqual([expect.stringMatching(/^[\w-]+:\/data$/)]);
    expect(healthcheckText(redis)).toMatch(/redis-cli ping/);
  });

  it('should declare every named volume at the top level', () => {
    const named = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0])
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));

    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const name of named) expect(Object.keys(compose.volumes ?? {})).toContain(name);
  });

  it('should build the gateway image once, in the api service, and run it in the api role', () => {
    const api = services.api;
    const context = typeof api.build === 'string' ? api.build : api.build?.context;

    expect(context).toBe('.');
    expect(typeof api.build === 'object' ? api.build.dockerfile : undefined).toBeUndefined();
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
    expect(api.image).toBe('payment-gateway:latest');
    expect(env(api)).toEqual({ ...GATEWAY_ENV, APP_ROLE: 'api' });
    // No command override: the image's CMD (node dist/main.js) is the api entry point.
    expect(api.command).toBeUndefined();
    expect(api.restart).toBe('unless-stopped');
  });

  it('should run the worker role from the same image without building or pulling it', () => {
    const worker = services.worker;
    const builders = Object.entries(services).filter(([, service]) => service.build !== undefined);

    expect(builders.map(([name]) => name)).toEqual(['api']);
    expect(worker.image).toBe(services.api.image);
    expect(worker.build).toBeUndefined();
    // The tag only exists locally (built by api); a registry pull could only fail or pick up a stranger's image.
    expect(worker.pull_policy).toBe('never');
    expect(words(worker.command)).toEqual(['node', HEAP_LIMIT, 'dist/main.js', '--worker']);
    expect(env(worker)).toEqual({ ...GATEWAY_ENV, APP_ROLE: 'worker' });
    expect(worker.restart).toBe('unless-stopped');
  });

  it('should start the api and worker only after postgres and redis are healthy', () => {
    expect(dependsOn(services.api)).toEqual({ postgres: 'service_healthy', redis: 'service_healthy' });
    expect(dependsOn(services.worker)).toEqual({
      postgres: 'service_healthy',
      redis: 'service_healthy',
      api: 'service_started',
    });
    for (const service of Object.values(services)) {
      for (const [target, condition] of Object.entries(dependsOn(service))) {
        expect(Object.keys(services)).toContain(target);
        if (condition === 'service_healthy') expect(services[target].healthcheck?.test).toBeDefined();
      }
    }
  });

  it('should health-check the api over HTTP /health and disable the inherited HTTP check for the worker', () => {
    const api = healthcheckText(services.api);

    expect(api).toContain('127.0.0.1');
    expect(api).toContain('/health');
    expect(api).toMatch(/process\.env\.PORT/);
    // The worker role serves no HTTP, so the image's HEALTHCHECK would mark it unhealthy forever.
    expect(services.worker.healthcheck).toEqual({ disable: true });
  });

  it('should run the test merchant from the mounted repository folder with its contract settings', () => {
    const merchant = services['test-merchant'];
    const mount = (merchant.volumes ?? [])[0]?.split(':') ?? [];

    expect(merchant.image).toBe('node:20-alpine');
    expect(merchant.build).toBeUndefined();
    expect(mount).toEqual(['./test/test-merchant', '/app', 'ro']);
    expect(existsSync(join(ROOT, mount[0], 'server.mjs'))).toBe(true);
    expect(words(merchant.command)).toEqual(['node', '/app/server.mjs']);
    expect(env(merchant)).toEqual({ PORT: '4000', WEBHOOK_SECRET: 'whsec_test_abc123', FAIL_FIRST_N: '0' });
    // The receiver's own defaults agree with compose, so `npm run test-merchant` behaves the same.
    expect(String(DEFAULT_PORT)).toBe(env(merchant).PORT);
    expect(DEFAULT_SECRET).toBe(env(merchant).WEBHOOK_SECRET);
    expect(healthcheckText(merchant)).toContain('/health');
  });

  it('should not contain unescaped ${...} that Compose would interpolate from the host', () => {
    expect(composeText.replace(/\$\$/g, '')).not.toMatch(/\$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  image: string;
  name?: string;
  workdir: string;
  instructions: Instruction[];
}
interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, workdir: '/', instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${instruction.keyword} before FROM`);
    if (instruction.keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, instruction.args);
    stage.instructions.push(instruction);
  }
  return stages;
}

function argv(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
}

function copies(stage: Stage): (Copy & { workdir: string })[] {
  const result: (Copy & { workdir: string })[] = [];
  let workdir = '/';
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'WORKDIR') workdir = posix.resolve(workdir, args);
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const flags = args.match(/^(--\S+\s+)*/)?.[0] ?? '';
    const paths = argv(args.slice(flags.length).trim());
    result.push({
      from: /--from=(\S+)/.exec(flags)?.[1],
      sources: paths.slice(0, -1),
      destination: paths.at(-1) ?? '',
      workdir,
    });
  }
  return result;
}

const stages = parseDockerfile(read('Dockerfile'));
const runtime = stages.at(-1)!;
const stageNamed = (name: string | undefined) =>
  stages.find((stage, index) => stage.name === name || String(index) === name);
const runtimeOf = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword);

/** Where a path inside an image lands, relative to the app root (the runtime WORKDIR). */
function appRelative(workdir: string, path: string, base: string): string {
  return posix.relative(base, posix.resolve(workdir, path));
}

// ---- what `npm run build` produces, read from package.json and the configs it points at ----

const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; type?: string };

/** The shell commands `npm run <name>` ends up executing, `npm run x` expanded recursively. */
function leafCommands(name: string): string[] {
  const script = pkg.scripts[name];
  if (script === undefined) throw new Error(`package.json has no "${name}" script`);
  return script
    .split('&&')
    .map((command) => command.trim())
    .flatMap((command) => {
      const nested = /^npm run (\S+)$/.exec(command);
      return nested ? leafCommands(nested[1]) : [command];
    });
}

function tscOutDir(project: string): string {
  const file = join(ROOT, project);
  const { config, error } = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  if (error) throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(file), undefined, file);
  if (!parsed.options.outDir) throw new Error(`${project} sets no outDir`);
  return parsed.options.outDir;
}

function viteOutDir(configPath: string): string {
  const source = read(configPath);
  // This config pins `root` to its own folder (via import.meta.url); outDir is relative to root.
  const root = /import\.meta\.url/.test(source) ? dirname(join(ROOT, configPath)) : ROOT;
  const outDir = /outDir:\s*(?:resolve\(\s*root\s*,\s*)?['"]([^'"]+)['"]/.exec(source)?.[1] ?? 'dist';
  return resolve(root, outDir);
}

function nodeScriptOutDir(scriptPath: string): string {
  // sdk/build.mjs (esbuild) writes the bundle to dist/ beside itself (DESIGN.md: sdk/ -> dist/checkout.js).
  const file = join(ROOT, scriptPath);
  if (existsSync(file)) expect(readFileSync(file, 'utf8')).toMatch(/\bdist\b/);
  return join(dirname(file), 'dist');
}

function buildOutputs(): string[] {
  const outputs: string[] = [];
  for (const command of leafCommands('build')) {
    for (const part of command.split(/\s*;\s*/)) {
      let match: RegExpExecArray | null;
      if (/^rm\s/.test(part)) continue;
      if ((match = /^tsc\b.*\s-p\s+(\S+)/.exec(part))) outputs.push(tscOutDir(match[1]));
      else if ((match = /^vite build\b.*\s--config\s+(\S+)/.exec(part))) outputs.push(viteOutDir(match[1]));
      else if ((match = /^node\s+(\S+\.m?js)$/.exec(part))) outputs.push(nodeScriptOutDir(match[1]));
      else throw new Error(`deployment.spec.ts does not know what "${part}" builds: teach it`);
    }
  }
  const relativeOutputs = outputs.map((output) => toPosix(relative(ROOT, output)));
  // dist/migrations lives inside dist: copying dist covers it.
  return [
    ...new Set(
      relativeOutputs.filter(
        (output) => !relativeOutputs.some((other) => other !== output && output.startsWith(`${other}/`)),
      ),
    ),
  ].sort();
}

describe('Dockerfile', () => {
  it('should be multi-stage on node:20-alpine', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:20-alpine');
  });

  it('should build with dev dependencies and `npm run build` in the stage the runtime copies from', () => {
    const fromStages = new Set(copies(runtime).map((copy) => copy.from));
    const builders = stages.filter((stage) => stage.name !== undefined && fromStages.has(stage.name));
    const build = builders.find((stage) =>
      stage.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args)),
    );

    expect(build).toBeDefined();
    const installs = build!.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(installs).toHaveLength(1);
    expect(installs[0].args).not.toMatch(/--omit[= ]dev|--production|--only[= ]prod/);
  });

  it('should ship only production dependencies', () => {
    const modules = copies(runtime).filter((copy) => copy.sources.some((source) => /node_modules\/?$/.test(source)));
    const runtimeInstalls = runtimeOf('RUN').filter((i) => /\bnpm (ci|install|i)\b/.test(i.args));

    expect(modules.length + runtimeInstalls.length).toBe(1);
    const installs = modules.length
      ? stageNamed(modules[0].from)!.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))
      : runtimeInstalls;
    expect(installs).toHaveLength(1);
    expect(installs[0].args).toMatch(/\bnpm ci\b.*--omit=dev/);
  });

  it('should copy exactly what `npm run build` produces, to the same paths under the app root', () => {
    const outputs = buildOutputs();
    const fromBuild = copies(runtime).filter(
      (copy) => copy.from !== undefined && !copy.sources.some((source) => /node_modules\/?$/.test(source)),
    );
    const copied = fromBuild.flatMap((copy) => {
      const source = stageNamed(copy.from)!;
      // `COPY --from` resolves relative sources against the stage's filesystem root, not its WORKDIR.
      return copy.sources.map((path) => ({
        source: appRelative('/', path, source.workdir),
        destination: appRelative(copy.workdir, copy.destination, runtime.workdir),
      }));
    });

    expect(outputs).toEqual(['client/dist', 'dist', 'sdk/dist']);
    expect(copied.map((c) => c.source).sort()).toEqual(outputs);
    // The server finds client/dist, sdk/dist and dist/migrations relative to the app root.
    for (const { source, destination } of copied) expect(destination).toBe(source);
  });

  it('should start dist/main.js, the compiled src/main.ts, with CMD so compose can swap in --worker', () => {
    const cmd = runtimeOf('CMD');
    const serverOut = toPosix(relative(ROOT, tscOutDir('tsconfig.build.json')));
    const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), (path) => ts.sys.readFile(path));
    const rootDir = (config as { compilerOptions?: { rootDir?: string } }).compilerOptions?.rootDir ?? 'src';

    expect(cmd).toHaveLength(1);
    expect(cmd[0].args.startsWith('[')).toBe(true); // exec form: node is PID 1 and receives SIGTERM
    expect(argv(cmd[0].args)).toEqual(['node', HEAP_LIMIT, 'dist/main.js']);
    expect(posix.join(serverOut, posix.relative(rootDir, 'src/main.ts')).replace(/\.ts$/, '.js')).toBe('dist/main.js');
    expect(pkg.scripts.start).toBe(`node ${HEAP_LIMIT} dist/main.js`);
    expect(pkg.scripts['start:prod']).toBe(pkg.scripts.start);
    expect(pkg.scripts['start:worker']).toBe(`${pkg.scripts.start} --worker`);
    expect(runtimeOf('ENTRYPOINT')).toHaveLength(0);
    expect(runtime.workdir).toBe('/app');
  });

  it('should copy package.json into the runtime image (its "type": "module" makes dist/*.js ESM)', () => {
    expect(pkg.type).toBe('module');
    const sources = copies(runtime)
      .filter((copy) => copy.from === undefined)
      .flatMap((copy) => copy.sources);
    expect(sources).toContain('package.json');
  });

  it('should run as the non-root node user with NODE_ENV=production, expose 8000 and health-check /health', () => {
    const users = runtimeOf('USER');
    const envs = runtimeOf('ENV')
      .map((i) => i.args)
      .join(' ');
    const healthchecks = runtimeOf('HEALTHCHECK');

    expect(users.at(-1)?.args).toBe('node');
    expect(envs).toMatch(/\bNODE_ENV=production\b/);
    expect(envs).toMatch(/\bPORT=8000\b/);
    expect(runtimeOf('EXPOSE').map((i) => i.args)).toEqual(['8000']);
    expect(healthchecks).toHaveLength(1);
    expect(healthchecks[0].args).toMatch(/\bCMD\b/);
    expect(healthchecks[0].args).toContain("'http://127.0.0.1:'");
    expect(healthchecks[0].args).toContain('process.env.PORT || 8000');
    expect(healthchecks[0].args).toContain("'/health'");
  });
});

// ---------------------------------------------------------------------------------------------
// .dockerignore
// ---------------------------------------------------------------------------------------------

/** Docker's matching, reduced to what this repository's patterns use: globs, `**`, `!` negation. */
function dockerignored(path: string, patterns: string[]): boolean {
  const toRegExp = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/^\/+|\/+$/g, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*\*/g, '.*')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replaceAll('\u0000', '(?:.*/)?')}$`,
    );
  const segments = path.split('/');
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const line of patterns) {
    const negated = line.startsWith('!');
    const regexp = toRegExp(negated ? line.slice(1) : line);
    if (candidates.some((candidate) => regexp.test(candidate))) ignored = !negated;
  }
  return ignored;
}

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('should keep host installs, build outputs and local state out of the build context', () => {
    for (const path of [
      'node_modules',
      'node_modules/typescript/package.json',
      'client/node_modules/x',
      'dist/main.js',
      'client/dist/index.html',
      'sdk/dist/checkout.js',
      '.git/HEAD',
      'artifacts/logs/gateway.log',
      'coverage/lcov.info',
      'test/bench/results/run.json',
      'npm-debug.log',
      'server.log',
    ]) {
      expect([path, dockerignored(path, patterns)]).toEqual([path, true]);
    }
  });

  it('should keep everything `npm run build` needs in the build context', () => {
    const inputs = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'tsconfig.migrations.json',
      'src/main.ts',
      'migrations/1700000000000-CreateTables.ts',
      'client/index.html',
      'client/checkout.html',
      'client/vite.config.ts',
      'client/src/dashboard/main.tsx',
      'sdk/build.mjs',
      'sdk/src/index.ts',
    ];
    for (const path of inputs) {
      expect([path, dockerignored(path, patterns)]).toEqual([path, false]);
    }
    // Every file the build scripts name directly.
    for (const path of leafCommands('build').flatMap((command) => command.split(/\s+/))) {
      if (/\.(json|ts|mjs)$/.test(path) && !isAbsolute(path)) {
        expect([path, dockerignored(path, patterns)]).toEqual([path, false]);
      }
    }
  });
});
