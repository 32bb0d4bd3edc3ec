import { execFileSync } from 'node:child_process';

import { ENVIRONMENT_DEFAULTS } from '@dashtam/config';

import {
  environmentOf,
  isMapping,
  type Json,
  loadStack,
  type Mapping,
  parseComposeFile,
  parsePort,
  publishedPorts,
  readEnvFile,
  readRepoFile,
  ROOT,
  type Stack,
  volumeSource,
  volumeTarget,
} from './support/compose-model';

/**
 * No Docker engine runs where these tests run, so they check the model compose would build from the
 * committed files: `make up` (compose.yaml + .env) and `make test-setup` (compose.yaml +
 * compose.test.yaml + .env.test, project dashtam-test), plus the Dockerfile and Makefile lines that
 * drive them.
 */

const DEV = { files: ['compose.yaml'], envFile: '.env' };
const TEST = { files: ['compose.yaml', 'compose.test.yaml'], envFile: '.env.test' };
const INIT_SCRIPT = 'docker/init-test-db.sh';

/** The default of a Dockerfile `ARG NAME=default` (those before the first FROM parameterise FROM lines). */
const dockerfileArg = (name: string): string =>
  new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(readRepoFile('docker/Dockerfile'))?.[1] ?? '';
const makeVariable = (name: string): string =>
  new RegExp(`^${name} [:?]?= (.*)$`, 'm').exec(readRepoFile('Makefile'))?.[1] ?? '';
const dev = (): Stack => loadStack(DEV.files, DEV.envFile);
const test = (): Stack => loadStack(TEST.files, TEST.envFile);
const stacks: Array<[string, () => Stack]> = [
  ['development', dev],
  ['test', test],
];

/** The apps, the variables that configure their listener and its host port, and whether they serve TLS. */
const APPS: Record<string, { port: string; hostPort: string; tls: string | null }> = {
  api: { port: 'API_PORT', hostPort: 'API_HOST_PORT', tls: 'API_TLS' },
  callback: { port: 'CALLBACK_PORT', hostPort: 'CALLBACK_HOST_PORT', tls: 'CALLBACK_TLS' },
  sandbox: { port: 'SANDBOX_PORT', hostPort: 'SANDBOX_HOST_PORT', tls: null },
};

// The Compose specification's service attributes; a misspelt one is silently ignored by nothing else here.
const SERVICE_KEYS = new Set(
  (
    'build command container_name depends_on entrypoint environment healthcheck image init labels logging ' +
    'network_mode networks ports profiles restart stop_grace_period stop_signal tmpfs user volumes working_dir'
  )
    .split(' ')
    .filter(Boolean),
);

/** What the apps read from a stack's env file: its values over their environment's defaults (libs/config). */
const appSettings = (stack: Stack): Record<string, string> => ({
  ...ENVIRONMENT_DEFAULTS[stack.envFile === '.env.test' ? 'testing' : 'development'],
  ...stack.env,
});

const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));
const healthTest = (service: Mapping): string[] => {
  const check = service.healthcheck;
  if (!isMapping(check) || check.disable === true) return [];
  return Array.isArray(check.test) ? check.test.map(String) : typeof check.test === 'string' ? [check.test] : [];
};
const networkOwner = (name: string, service: Mapping): string =>
  typeof service.network_mode === 'string' && service.network_mode.startsWith('service:')
    ? service.network_mode.slice('service:'.length)
    : name;

describe('compose files', () => {
  it.each(['compose.yaml', 'compose.test.yaml'])(
    '%s parses, and uses only known top-level and service keys',
    (file) => {
      const model = parseComposeFile(file);
      // No top-level `name:`: Compose v1 (Debian's docker-compose) rejects it; the Makefile's -p names projects.
      const topLevel = Object.keys(model).filter((key) => !key.startsWith('x-'));
      expect(topLevel.filter((key) => !['services', 'volumes', 'networks'].includes(key))).toEqual([]);
      for (const [name, service] of Object.entries(model.services as Mapping)) {
        const unknown = Object.keys(service as Mapping).filter((key) => !SERVICE_KEYS.has(key));
        expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
      }
    },
  );

  it.each([
    ['compose.yaml', DEV],
    ['compose.yaml + compose.test.yaml', TEST],
  ])(
    'every variable %s uses without a default is defined in the env file given with it',
    (_label, { files, envFile }) => {
      const stack = loadStack(files, envFile);
      expect(stack.required).toContain('POSTGRES_PASSWORD');
      expect([...stack.required].filter((name) => !(name in stack.env))).toEqual([]);
      // Defaults are for what a user may swap from the shell (images, the build network), never the stack's settings.
      expect([...stack.defaults.keys()].sort()).toEqual([
        'DOCKER_BUILD_NETWORK',
        'NODE_IMAGE',
        'POSTGRES_IMAGE',
        'REDIS_IMAGE',
      ]);
    },
  );

  it.each(stacks)('%s stack: base images come from variables that default to the official images', (_n, load) => {
    const stack = load();
    expect(Object.fromEntries(stack.defaults)).toMatchObject({
      POSTGRES_IMAGE: 'postgres:17-bookworm',
      REDIS_IMAGE: 'redis:7-bookworm',
      NODE_IMAGE: dockerfileArg('NODE_IMAGE'),
      DOCKER_BUILD_NETWORK: 'default',
    });
    expect(stack.services.postgres.image).toBe('postgres:17-bookworm');
    expect(stack.services.redis.image).toBe('redis:7-bookworm');
    const built = Object.entries(stack.services).filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(
      stack.envFile === '.env' ? ['api', 'callback', 'sandbox'] : ['api', 'app', 'callback', 'sandbox'],
    );
    for (const [name, service] of built) {
      expect({ name, build: service.build }).toEqual({
        name,
        build: expect.objectContaining({ args: { NODE_IMAGE: dockerfileArg('NODE_IMAGE') }, network: 'default' }),
      });
    }
    // What a user sets in the shell wins over the default, for every service that uses it.
    const swapped = loadStack(stack.envFile === '.env' ? DEV.files : TEST.files, stack.envFile, {
      POSTGRES_IMAGE: 'local/pg',
      REDIS_IMAGE: 'local/redis',
      NODE_IMAGE: 'local/node',
      DOCKER_BUILD_NETWORK: 'host',
    });
    expect([swapped.services.postgres.image, swapped.services.redis.image]).toEqual(['local/pg', 'local/redis']);
    for (const [name] of built) {
      expect(swapped.services[name].build).toMatchObject({ args: { NODE_IMAGE: 'local/node' }, network: 'host' });
    }
  });

  it.each(['.env', '.env.test'])('%s holds no "$" (compose would expand it, the apps would not)', (file) => {
    expect(Object.entries(readEnvFile(file)).filter(([, value]) => value.includes('$'))).toEqual([]);
  });

  it('the test stack is a project of its own, so it runs beside the development stack', () => {
    const projects = ['COMPOSE', 'COMPOSE_TEST'].map((name) => /\s-p (\S+)/.exec(makeVariable(name))?.[1]);
    expect(projects).toEqual(['dashtam', 'dashtam-test']);
    for (const [, load] of stacks) {
      const named = Object.entries(load().services).filter(([, service]) => 'container_name' in service);
      expect(named.map(([name]) => name)).toEqual([]);
    }
  });

  it('dev and test publish different host ports, on loopback only', () => {
    const devPorts = publishedPorts(dev());
    const testPorts = publishedPorts(test());
    const key = (p: { ip: string; published: string }): string => `${p.ip}:${p.published}`;
    expect(devPorts.length).toBeGreaterThanOrEqual(5);
    expect(testPorts.filter((port) => devPorts.some((d) => key(d) === key(port)))).toEqual([]);
    for (const ports of [devPorts, testPorts]) {
      expect(new Set(ports.map(key)).size).toBe(ports.length);
      expect(ports.filter((port) => port.ip !== '127.0.0.1' || !/^\d+$/.test(port.published))).toEqual([]);
    }
  });

  it('the test stack uses a database whose name contains "test", Redis index 1 and ENVIRONMENT=testing', () => {
    const stack = test();
    const withDatabase = Object.entries(stack.services).filter(([, s]) => 'DATABASE_URL' in environmentOf(s));
    expect(withDatabase.map(([name]) => name).sort()).toEqual(['api', 'app', 'callback', 'sandbox']);
    for (const [, service] of withDatabase) {
      const env = environmentOf(service);
      expect(databaseName(env.DATABASE_URL)).toContain('test');
      expect(new URL(env.REDIS_URL).pathname).toBe('/1');
      expect(env).toMatchObject({ ENVIRONMENT: 'testing', TESTING: 'true' });
    }
    const postgres = environmentOf(stack.services.postgres);
    expect(postgres.TEST_POSTGRES_DB).toContain('test');
  });

  it('the development stack uses its own database and Redis index 0', () => {
    for (const name of Object.keys(APPS)) {
      const env = environmentOf(dev().services[name]);
      expect(databaseName(env.DATABASE_URL)).not.toContain('test');
      expect(new URL(env.REDIS_URL).pathname).toBe('/0');
      expect(env.ENVIRONMENT).toBe('development');
    }
  });

  it('containers use the env file’s credentials; only the host differs', () => {
    const inContainer = (url: string): string => {
      const u = new URL(url);
      u.host = 'postgres:5432';
      return u.toString();
    };
    const devStack = dev();
    expect(environmentOf(devStack.services.api).DATABASE_URL).toBe(inContainer(appSettings(devStack).DATABASE_URL));
    const devUrl = new URL(appSettings(devStack).DATABASE_URL);
    expect(environmentOf(devStack.services.postgres)).toMatchObject({
      POSTGRES_USER: decodeURIComponent(devUrl.username),
      POSTGRES_PASSWORD: decodeURIComponent(devUrl.password),
      POSTGRES_DB: databaseName(devUrl.toString()),
    });
    // Host-side npm scripts (migrations, psql) reach the development containers through .env as is.
    expect(devStack.env.POSTGRES_HOST_PORT).toBe(devUrl.port || '5432');
    expect(devStack.env.REDIS_HOST_PORT).toBe(new URL(appSettings(devStack).REDIS_URL).port || '6379');

    const testStack = test();
    expect(environmentOf(testStack.services.app).DATABASE_URL).toBe(inContainer(appSettings(testStack).DATABASE_URL));
    const testUrl = new URL(appSettings(testStack).DATABASE_URL);
    expect(environmentOf(testStack.services.postgres)).toMatchObject({
      TEST_POSTGRES_USER: decodeURIComponent(testUrl.username),
      TEST_POSTGRES_PASSWORD: decodeURIComponent(testUrl.password),
      TEST_POSTGRES_DB: databaseName(testUrl.toString()),
    });
  });

  it.each(stacks)('%s stack: every service has a healthcheck', (_name, load) => {
    const services = Object.entries(load().services);
    expect(services.filter(([, service]) => healthTest(service).length === 0).map(([name]) => name)).toEqual([]);
  });

  it.each(stacks)('%s stack: every depends_on waits for a healthy service that exists', (_name, load) => {
    const { services } = load();
    const problems: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      if (service.depends_on === undefined) continue;
      if (!isMapping(service.depends_on)) {
        problems.push(`${name}: depends_on must be a mapping with conditions`);
        continue;
      }
      for (const [dependency, spec] of Object.entries(service.depends_on)) {
        if (!(dependency in services)) problems.push(`${name} → ${dependency}: no such service`);
        if (!isMapping(spec) || spec.condition !== 'service_healthy') problems.push(`${name} → ${dependency}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(stacks)('%s stack: each app is probed over its scheme and port, published on its network', (_n, load) => {
    const stack = load();
    for (const [name, { port, hostPort, tls }] of Object.entries(APPS)) {
      const service = stack.services[name];
      const scheme = tls && appSettings(stack)[tls] === 'true' ? 'https' : 'http';
      const [kind, node, script, url] = healthTest(service);
      expect([kind, node, script]).toEqual(['CMD', 'node', 'docker/healthcheck.js']);
      expect(`${new URL(url).protocol}//${new URL(url).host}`).toBe(`${scheme}://127.0.0.1:${stack.env[port]}`);

      const owner = networkOwner(name, service);
      if (owner !== name) expect(service.ports).toBeUndefined();
      const ownerService = stack.services[owner];
      expect(ownerService.profiles ?? []).toEqual(service.profiles ?? []);
      expect(((ownerService.ports ?? []) as Json[]).map(parsePort)).toContainEqual({
        ip: '127.0.0.1',
        published: stack.env[hostPort],
        target: stack.env[port],
      });
      // As committed, the host port is the app's own, so the env file's URLs work from the host too.
      expect(stack.env[hostPort]).toBe(stack.env[port]);
      // Inside its container an app must listen beyond loopback for a published port to reach it.
      expect(environmentOf(service)[`${name.toUpperCase()}_HOST`]).toBe('0.0.0.0');
    }
  });

  it('the test stack idles an app container for `exec` and starts the apps only on request', () => {
    const { services } = test();
    expect(services.app.command).toEqual(['sleep', 'infinity']);
    expect(services.app.profiles).toBeUndefined();
    for (const name of Object.keys(APPS)) expect(services[name].profiles).toEqual(['apps']);
    for (const name of ['postgres', 'redis']) expect(services[name].profiles).toBeUndefined();
  });

  it('every npm script a service runs exists, and every build target is a Dockerfile stage', () => {
    const scripts = (JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> }).scripts;
    const stages = dockerStages().map((stage) => stage.name);
    for (const [, load] of stacks) {
      for (const [name, service] of Object.entries(load().services)) {
        const command = Array.isArray(service.command) ? service.command.map(String) : [];
        if (command[0] === 'npm' && command[1] === 'run')
          expect({ name, script: command[2] in scripts }).toEqual({ name, script: true });
        if (isMapping(service.build)) {
          expect(service.build.dockerfile).toBe('docker/Dockerfile');
          expect(stages).toContain(service.build.target);
        }
      }
    }
  });
});

describe('docker/init-test-db.sh', () => {
  const script = readRepoFile(INIT_SCRIPT);

  it('is mounted into the test PostgreSQL’s init directory and is executable in git', () => {
    const volumes = test().services.postgres.volumes as Json[];
    const mount = volumes.find((volume) => volumeSource(volume) === `./${INIT_SCRIPT}`);
    expect(mount).toBeDefined();
    expect(volumeTarget(mount!)).toMatch(/^\/docker-entrypoint-initdb\.d\/[^/]+\.sh$/);
    const staged = execFileSync('git', ['ls-files', '--stage', '--', INIT_SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    expect(staged.split(/\s/)[0]).toBe('100755');
  });

  it('gets every variable it requires from the test PostgreSQL service', () => {
    const required = [...script.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]);
    expect(required).toEqual(
      expect.arrayContaining(['TEST_POSTGRES_USER', 'TEST_POSTGRES_PASSWORD', 'TEST_POSTGRES_DB']),
    );
    const env = environmentOf(test().services.postgres);
    expect(required.filter((name) => !env[name])).toEqual([]);
  });

  it('never lets the shell write the password into SQL', () => {
    const heredocs = [...script.matchAll(/<<-?\s*(['"]?)(\w+)\1/g)];
    expect(heredocs.length).toBeGreaterThan(0);
    // A quoted delimiter turns off expansion inside the heredoc: the SQL text is exactly what is committed.
    expect(heredocs.filter((h) => h[1] !== "'").map((h) => h[0])).toEqual([]);
    // The shell expands the password only to check that it is set.
    const expansions = script.split('\n').filter((line) => /\$\{?TEST_POSTGRES_PASSWORD\b/.test(line));
    expect(expansions).toEqual([expect.stringMatching(/^: "\$\{TEST_POSTGRES_PASSWORD:\?[^}]*\}"$/)]);
    // psql reads it from the environment and only ever uses it quoted as a literal.
    const variable = /^\\getenv (\w+) TEST_POSTGRES_PASSWORD$/m.exec(script)?.[1];
    expect(variable).toBeDefined();
    const uses = [...script.matchAll(new RegExp(`:(['"]?)${variable}\\b`, 'g'))];
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((use) => use[1] !== "'").map((use) => use[0])).toEqual([]);
    expect(script).toMatch(new RegExp(`format\\('CREATE ROLE %I LOGIN PASSWORD %L', :'\\w+', :'${variable}'\\)`));
  });
});

interface Stage {
  name: string;
  instructions: Array<{ op: string; args: string }>;
}

function dockerStages(): Stage[] {
  const stages: Stage[] = [];
  const lines = readRepoFile('docker/Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') stages.push({ name: /\bAS\s+(\S+)$/i.exec(args)?.[1] ?? '', instructions: [] });
    stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

describe('docker/Dockerfile production target', () => {
  const stages = dockerStages();
  const stage = (name: string): Stage => {
    const found = stages.find((s) => s.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found;
  };
  const production = stage('production');
  const ops = (op: string): string[] => production.instructions.filter((i) => i.op === op).map((i) => i.args);
  const runs = (name: string): string =>
    stage(name)
      .instructions.filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .join('\n');
  const copiedFrom = (path: string): string | undefined =>
    ops('COPY')
      .map((args) => /^--from=(\S+)\s+(\S+)/.exec(args))
      .find((m) => m?.[2] === path)?.[1];

  it('runs as a non-root user', () => {
    const user = ops('USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('holds production dependencies and compiled output only, no source or env files', () => {
    expect(runs(copiedFrom('/app/node_modules') ?? '')).toMatch(/npm ci --omit=dev/);
    expect(runs(copiedFrom('/app/dist') ?? '')).toMatch(/npm run build/);
    const fromContext = ops('COPY').filter((args) => !args.startsWith('--from='));
    expect(fromContext.flatMap((args) => args.split(/\s+/).slice(0, -1)).sort()).toEqual([
      'docker/healthcheck.js',
      'package.json',
    ]);
    const ignored = readRepoFile('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', '.data', 'node_modules', '.git']));
  });

  it('has a HEALTHCHECK through docker/healthcheck.js', () => {
    expect(ops('HEALTHCHECK').join(' ')).toMatch(
      /CMD \["node", "docker\/healthcheck\.js", "http:\/\/127\.0\.0\.1:\d+\/health"\]/,
    );
  });

  it('starts what `npm run start:prod` starts, where nest build writes each app', () => {
    const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    const nest = JSON.parse(readRepoFile('nest-cli.json')) as {
      projects: Record<string, { type: string; entryFile: string }>;
    };
    const tsconfig = JSON.parse(readRepoFile('tsconfig.json')) as { compilerOptions: { outDir: string } };
    const outDir = tsconfig.compilerOptions.outDir.replace(/^\.\//, '');
    const apps = Object.entries(nest.projects).filter(([, p]) => p.type === 'application');
    expect(apps.map(([name]) => name).sort()).toEqual(['api', 'callback', 'sandbox']);
    for (const [name, project] of apps) {
      const script = name === 'api' ? 'start:prod' : `start:prod:${name}`;
      // Node's own flags may come first (the api's heap sizing, bench/README.md "Memory").
      expect(pkg.scripts[script]).toMatch(new RegExp(`^node (--[a-z-]+=\\d+ )*${outDir}/${project.entryFile}\\.js$`));
    }
    expect(JSON.parse(ops('CMD').at(-1) ?? '[]')).toEqual(pkg.scripts['start:prod'].split(' '));
  });
});

describe('Makefile Docker branches', () => {
  const makefile = readRepoFile('Makefile');
  const flags = (command: string, flag: string): string[] =>
    [...command.matchAll(new RegExp(`(?:^|\\s)${flag} (\\S+)`, 'g'))].map((m) => m[1]);

  /** Recipe lines inside `ifeq ($(DOCKER),1)` per target. */
  const dockerRecipes = (): Record<string, string[]> => {
    const recipes: Record<string, string[]> = {};
    let target = '';
    let inDocker = false;
    for (const line of makefile.split('\n')) {
      const header = /^([a-z][a-z0-9-]*):/.exec(line);
      if (header) [target, inDocker] = [header[1], false];
      else if (line.startsWith('ifeq ($(DOCKER),1)')) inDocker = true;
      else if (/^(else|endif)\b/.test(line)) inDocker = false;
      else if (inDocker && line.startsWith('\t')) (recipes[target] ??= []).push(line.trim());
    }
    return recipes;
  };

  it('COMPOSE runs the development stack and COMPOSE_TEST the test stack under its project name', () => {
    const compose = makeVariable('COMPOSE');
    const composeTest = makeVariable('COMPOSE_TEST');
    expect(flags(compose, '-f')).toEqual(DEV.files);
    expect(flags(compose, '--env-file')).toEqual([DEV.envFile]);
    expect(flags(compose, '-p')).toEqual(['dashtam']);
    expect(flags(composeTest, '-f')).toEqual(TEST.files);
    expect(flags(composeTest, '--env-file')).toEqual([TEST.envFile]);
    expect(flags(composeTest, '-p')).toEqual(['dashtam-test']);
  });

  it.each([
    ['up', '$(COMPOSE) '],
    ['down', '$(COMPOSE) '],
    ['logs', '$(COMPOSE) '],
    ['test-setup', '$(COMPOSE_TEST) '],
    ['test-unit', '$(COMPOSE_TEST) '],
    ['test-e2e', '$(COMPOSE_TEST) '],
    ['test-clean', '$(COMPOSE_TEST) '],
  ])('%s drives %s', (target, compose) => {
    // COMPOSE_WAIT lines are checked below.
    const recipe = (dockerRecipes()[target] ?? []).filter((line) => !line.startsWith('$(COMPOSE_WAIT) '));
    expect(recipe.length).toBeGreaterThan(0);
    expect(recipe.filter((line) => line.startsWith('$(COMPOSE') && !line.startsWith(compose))).toEqual([]);
  });

  it('uses Compose v2 (`docker compose`) when present, else Compose v1 (`docker-compose`), with BuildKit', () => {
    expect(makeVariable('COMPOSE_CLI')).toBe(
      "$(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose)",
    );
    for (const name of ['COMPOSE', 'COMPOSE_TEST']) expect(makeVariable(name)).toMatch(/^\$\(COMPOSE_CLI\) /);
    // Compose v1 builds with BuildKit (the Dockerfile's RUN --mount) only through the docker CLI.
    expect(makefile).toMatch(/^export COMPOSE_DOCKER_CLI_BUILD \?= 1$/m);
    expect(makefile).toMatch(/^export DOCKER_BUILDKIT \?= 1$/m);
  });

  it.each([
    ['up', '$(COMPOSE)'],
    ['test-setup', '$(COMPOSE_TEST)'],
  ])('%s starts without --wait (Compose v1 has none) and waits for health with COMPOSE_WAIT', (target, compose) => {
    const recipe = dockerRecipes()[target];
    const up = recipe.findIndex((line) => line.startsWith(`${compose} up `));
    expect(up).toBeGreaterThanOrEqual(0);
    expect(recipe[up]).not.toMatch(/--wait\b/);
    expect(recipe[up + 1]).toBe(`$(COMPOSE_WAIT) ${compose}`);
    expect(makeVariable('COMPOSE_WAIT')).toBe('scripts/compose-wait.sh');
  });

  it('the local base images scripts/docker-local-images.sh builds reach compose through the Makefile', () => {
    const include = makeVariable('LOCAL_IMAGES');
    expect(makefile).toContain(`-include $(LOCAL_IMAGES)`);
    const script = readRepoFile('scripts/docker-local-images.sh');
    expect(script).toContain(`MAKE_INCLUDE="$ROOT/${include}"`);
    // `?=`: a variable set in the environment still wins over the file.
    for (const name of ['NODE_IMAGE', 'POSTGRES_IMAGE', 'REDIS_IMAGE'])
      expect(script).toMatch(new RegExp(`^export ${name} \\?= `, 'm'));
  });

  it('test targets start and exec into services the test stack has; test-clean drops its volumes', () => {
    const { services } = test();
    const recipes = dockerRecipes();
    const servicesAfter = (line: string, verb: string): string[] =>
      line
        .split(` ${verb} `)[1]
        .split(/\s+/)
        .filter((token, i, all) => token && !token.startsWith('-') && !['-e', '--env'].includes(all[i - 1]));
    const up = recipes['test-setup'].find((line) => / up /.test(line))!;
    const started = servicesAfter(up, 'up');
    expect(started).toEqual(expect.arrayContaining(['postgres', 'redis', 'app']));
    for (const target of ['test-setup', 'test-unit', 'test-e2e']) {
      for (const line of recipes[target].filter((l) => / exec /.test(l))) {
        const [service, ...command] = servicesAfter(line, 'exec');
        expect(started).toContain(service);
        expect(services[service].command).toEqual(['sleep', 'infinity']);
        expect(command.slice(0, 2)).toEqual(['npm', 'run']);
      }
    }
    expect(recipes['test-clean'].join('\n')).toMatch(/ down .*-v\b/);
  });
});
