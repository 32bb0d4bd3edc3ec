// `make bench` / `npm run bench -- [options]`: SPEC §9 measured side by side. Builds the api, creates a
// bench database, starts the api as production does and the baseline (bench/baseline) next to it, seeds
// users through the api's own routes, loads each scenario on both in interleaved slices and prints one
// table of medians. Run with ENVIRONMENT=testing (make bench does): the test environment's PostgreSQL
// admin connection and Redis are used, never its database. See bench/README.md.
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';

import { DataSource } from 'typeorm';

import { getConfig, isTestEnvironment, loadConfig } from '@dashtam/config';
import { buildDataSourceOptions } from '@dashtam/database';
import { type SandboxHandle, startSandbox } from '@dashtam/testing';

import {
  apiEnvironment,
  benchCipher,
  COMPILE_CACHE_DIR,
  type InstitutionEndpoint,
  mintSecrets,
  REDIRECT_URI,
} from './lib/api-environment';
import { type BenchDatabase, createBenchDatabase, dropBenchDatabase } from './lib/bench-database';
import { type LoadRequest, runSlice, type SliceResult } from './lib/load';
import { describeMachine, pinSelf, placement } from './lib/machine';
import { parseVariant, prepareVariant, type Variant } from './lib/variants';
import { formatSummary, readProfile, summarizeProfile } from './lib/profile';
import { deleteKeys, refreshSweep, SWEEP_TARGET_SECONDS } from './lib/refresh-sweep';
import { fixed, median, type Row, table, type Verdict } from './lib/report';
import { type Seed, seed } from './lib/seed';
import { SYNC_AGAIN_TARGET_SECONDS, SYNC_FIRST_TARGET_SECONDS, syncRows } from './lib/sync-rows';
import { type ApiBuild, freePort, ROOT, type Server, startApi, startBaseline } from './lib/servers';
import { LOAD_SCENARIOS, type LoadScenario, OTHER_ROWS } from './scenarios';

const COLD_START_TARGET_MS = 1_500;
const RSS_TARGET_MIB = 250;

const USAGE = `npm run bench -- [options]   (make bench passes CONNECTIONS, PROCESSES and BENCH_ARGS)
  --rounds N        interleaved rounds per scenario; medians are taken over them (default 3)
  --slice S         seconds per load slice (default 2)
  --connections N   concurrent connections of the load generator (default 64)
  --users N         seeded users, each with 5 providers, one linked (default 16)
  --soak S          seconds at full load before the RSS reading (default 60)
  --sweep N         connections of the refresh sweep (default 10000)
  --processes N     api processes of the refresh sweep (default 1)
  --sync N          transactions of the Sandbox account the sync rows read (default 10000)
  --only a,b        only these rows: ${[...LOAD_SCENARIOS.map((s) => s.key), ...OTHER_ROWS].join(', ')}
  --profile S       also profile the api (node --cpu-prof) for S seconds under the first scenario's load
  --database NAME   bench database (must contain "bench"; default: the test database's name, test → bench)
  --no-build        use the existing dist/ (default: nest build api first)
  --source          run the api from its TypeScript sources instead of dist/ (smoke runs)
  --keep            keep the bench database afterwards
  --variant N=REV   also measure revision REV's build (e.g. base=main), side by side; repeatable
  --tiny            a smoke run: seconds, not minutes, and no targets (rows say — unless they fail)`;

interface Options {
  tiny: boolean;
  rounds: number;
  slice: number;
  connections: number;
  users: number;
  soak: number;
  sweep: number;
  processes: number;
  sync: number;
  only: Set<string> | null;
  profile: number;
  database: string | null;
  build: ApiBuild;
  compile: boolean;
  keep: boolean;
  variants: Array<{ name: string; revision: string }>;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      tiny: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      slice: { type: 'string' },
      connections: { type: 'string' },
      users: { type: 'string' },
      soak: { type: 'string' },
      sweep: { type: 'string' },
      processes: { type: 'string' },
      sync: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'string' },
      database: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      source: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      variant: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const tiny = values.tiny;
  const count = (value: string | undefined, fallback: number, min = 1): number => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`expected an integer ≥ ${min}, got "${value}"\n${USAGE}`);
    return n;
  };
  const source = values.source || tiny;
  const only = values.only ? new Set(values.only.split(',').map((key) => key.trim())) : null;
  const known = new Set<string>([...LOAD_SCENARIOS.map((s) => s.key), ...OTHER_ROWS]);
  for (const key of only ?? []) if (!known.has(key)) throw new Error(`unknown row "${key}"\n${USAGE}`);
  return {
    tiny,
    rounds: count(values.rounds, tiny ? 1 : 3),
    slice: count(values.slice, tiny ? 1 : 2),
    connections: count(values.connections, tiny ? 8 : 64),
    users: count(values.users, tiny ? 2 : 16),
    soak: count(values.soak, tiny ? 1 : 60),
    sweep: count(values.sweep, tiny ? 20 : 10_000),
    processes: count(values.processes, 1),
    sync: count(values.sync, tiny ? 1_000 : 10_000),
    only,
    profile: count(values.profile, 0, 0),
    database: values.database ?? null,
    build: source ? 'source' : 'dist',
    compile: !source && !values['no-build'],
    keep: values.keep,
    variants: (values.variant ?? []).map(parseVariant),
  };
}

function log(message: string): void {
  console.log(`bench | ${message}`);
}

const wanted = (options: Options, key: string): boolean => options.only === null || options.only.has(key);

/** Both servers' slices of one scenario, round by round. */
/** An api the rounds load beside the baseline: this tree's, or another revision's (`--variant`). */
interface Contender {
  key: string;
  /** Shown after the scenario in the table; empty for this tree's api. */
  label: string;
  server: Server;
}

/** One slice of a contender and the baseline's slice run right beside it. */
interface Pair {
  own: SliceResult;
  baseline: SliceResult;
}

/** Every api contender's paired slices of one scenario, round by round, and its RSS after each. */
interface Measured {
  scenario: LoadScenario;
  pairs: Map<string, Pair[]>;
  rss: Map<string, number[]>;
}

async function getJson(url: string, request: LoadRequest): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${request.path}`, { headers: request.headers });
  return { status: res.status, body: await res.json() };
}

/** The baseline must answer exactly what the api answers, or the ratio compares different work. */
async function assertSameAnswers(api: Server, baseline: Server, scenario: LoadScenario, seeded: Seed): Promise<void> {
  const [request] = scenario.requests(seeded);
  const [fromApi, fromBaseline] = await Promise.all([getJson(api.url, request), getJson(baseline.url, request)]);
  if (fromApi.status !== 200 || !isDeepStrictEqual(fromApi, fromBaseline)) {
    throw new Error(
      `${scenario.title}: the api and the baseline answer differently\n` +
        `  api:      ${JSON.stringify(fromApi)}\n  baseline: ${JSON.stringify(fromBaseline)}`,
    );
  }
}

function requestRow(options: Options, measured: Measured, contender: Contender): Row {
  const { scenario } = measured;
  const pairs = measured.pairs.get(contender.key)!;
  const own = pairs.map((pair) => pair.own);
  const baseline = pairs.map((pair) => pair.baseline);
  // Each ratio is taken within a pair of slices run back to back, so a machine whose load drifts between
  // pairs (other work, PostgreSQL's own) moves both sides of it; the medians are over the pairs.
  const ratio = median(pairs.map((pair) => pair.own.rps / pair.baseline.rps));
  const p99Ratio = median(pairs.map((pair) => pair.own.p99 / pair.baseline.p99));
  const failures = [...own, ...baseline].reduce((sum, slice) => sum + slice.failures, 0);
  const pass = ratio >= scenario.minRatio && (scenario.maxP99Ratio === undefined || p99Ratio <= scenario.maxP99Ratio);
  return {
    scenario: `${scenario.title}, ${options.connections} connections${contender.label}`,
    value: `${fixed(median(own.map((slice) => slice.rps)))} req/s`,
    p50: fixed(median(own.map((slice) => slice.p50)), 1),
    p99: fixed(median(own.map((slice) => slice.p99)), 1),
    rss: fixed(median(measured.rss.get(contender.key) ?? [])),
    baseline:
      `${fixed(ratio, 2)}× of ${fixed(median(baseline.map((slice) => slice.rps)))} req/s; ` +
      `p99 ${fixed(p99Ratio, 1)}× of ${fixed(median(baseline.map((slice) => slice.p99)), 1)}`,
    target: `≥ ${scenario.minRatio.toFixed(2)}×${scenario.maxP99Ratio ? `, p99 ≤ ${scenario.maxP99Ratio}×` : ''}`,
    // Another revision is there to compare against, not to pass or miss.
    verdict: failures > 0 ? 'ERROR' : options.tiny || contender.label ? '—' : pass ? 'PASS' : 'MISS',
  };
}

const emptyRow = { p50: '', p99: '', rss: '' };

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const config = getConfig();
  if (!isTestEnvironment(config.app.environment)) {
    throw new Error('run with ENVIRONMENT=testing (make bench does): the bench uses the test PostgreSQL and Redis');
  }
  if (!config.database.adminUrl) throw new Error('the bench creates its database through DATABASE_ADMIN_URL; set it');
  if (!config.redis.url) throw new Error('the api runs as in production, which needs Redis: set REDIS_URL');
  const redisUrl = config.redis.url;
  const where = placement();
  pinSelf(where);

  if (options.compile) {
    log('building the api (nest build api)');
    const built = spawnSync(join(ROOT, 'node_modules', '.bin', 'nest'), ['build', 'api'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('nest build api failed');
  }
  rmSync(COMPILE_CACHE_DIR, { recursive: true, force: true });
  const variants: Variant[] = options.variants.map(({ name, revision }) => prepareVariant(name, revision, log));

  const databaseName = options.database ?? config.database.name.replace('test', 'bench');
  const secrets = mintSecrets();
  const mailDir = mkdtempSync(join(tmpdir(), 'dashtam-bench-mail-'));
  const queuePrefix = `dashtam-bench-${randomBytes(6).toString('hex')}`;
  const rows: Row[] = [];
  let database: BenchDatabase | null = null;
  let sandbox: SandboxHandle | null = null;
  let api: Server | null = null;
  let baseline: Server | null = null;
  let dataSource: DataSource | null = null;
  const variantServers: Server[] = [];

  try {
    database = await createBenchDatabase(config.database.adminUrl, config.database.url, databaseName);
    log(`database "${database.name}" created`);
    const machine = describeMachine(where, database.postgresVersion);
    ({ sandbox } = await startSandbox({
      clientSecret: `bench-${randomBytes(12).toString('hex')}`,
      redirectUris: [REDIRECT_URI],
      autoApprove: true,
      controls: false,
      rotation: 'rotating',
    }));
    const institution: InstitutionEndpoint = {
      baseUrl: sandbox.url,
      clientId: sandbox.options.clientId,
      clientSecret: sandbox.options.clientSecret,
    };
    const environment = async (prefix: string, endpoint: InstitutionEndpoint, extra: Record<string, string> = {}) =>
      apiEnvironment(
        {
          secrets,
          databaseUrl: database!.url,
          redisUrl,
          institution: endpoint,
          mailDir,
          queuePrefix: prefix,
          port: await freePort(),
        },
        extra,
      );
    const env = await environment(queuePrefix, institution);
    // The api's own validation of that environment, production's secret checks included; the baseline
    // gets the same pool size.
    const poolMax = loadConfig(env, { cwd: ROOT }).database.poolMax;
    const launch = (name: string): Promise<Server> =>
      startApi({ name, build: options.build, env, placement: where, pin: true });

    // The first start applies the migrations; it is not a cold start of a deployed api.
    api = await launch('api');
    log(`api (${options.build === 'dist' ? 'production build' : 'TypeScript sources'}) migrated and answering`);
    dataSource = await new DataSource(buildDataSourceOptions(config.database, { url: database.url })).initialize();
    const seeded = await seed(api.url, mailDir, options.users, dataSource);
    log(
      `${seeded.users.length} users seeded through the api (verified email, 5 providers each, one linked), ` +
        `and the ledger user through the sync's repositories`,
    );

    if (wanted(options, 'cold-start')) {
      const apiStarts: number[] = [];
      const baselineStarts: number[] = [];
      for (let round = 0; round < options.rounds; round += 1) {
        await api.stop();
        api = await launch('api');
        apiStarts.push(api.coldStartMs);
        const probe = await startBaseline(where, { databaseUrl: database.url, poolMax, jwtSecret: secrets.jwtSecret });
        baselineStarts.push(probe.coldStartMs);
        await probe.stop();
      }
      const coldStart = median(apiStarts);
      rows.push({
        scenario: 'api cold start to the first GET /health 200',
        value: `${fixed(coldStart / 1000, 2)} s`,
        ...emptyRow,
        baseline: `baseline ${fixed(median(baselineStarts) / 1000, 2)} s`,
        target: `≤ ${COLD_START_TARGET_MS / 1000} s`,
        verdict: options.tiny ? '—' : coldStart <= COLD_START_TARGET_MS ? 'PASS' : 'MISS',
      });
      log(
        `cold starts (ms): api ${apiStarts.map((ms) => fixed(ms)).join(', ')}; baseline ${baselineStarts.map((ms) => fixed(ms)).join(', ')}`,
      );
    }

    baseline = await startBaseline(where, { databaseUrl: database.url, poolMax, jwtSecret: secrets.jwtSecret });
    const scenarios = LOAD_SCENARIOS.filter((scenario) => wanted(options, scenario.key));
    for (const scenario of scenarios) await assertSameAnswers(api, baseline, scenario, seeded);

    for (const variant of variants) {
      variantServers.push(
        await startApi({
          name: `api@${variant.name}`,
          build: 'dist',
          root: variant.root,
          env: { ...env, API_PORT: String(await freePort()) },
          placement: where,
          pin: true,
        }),
      );
    }
    const contenders: Contender[] = [
      { key: 'api', label: '', server: api },
      ...variants.map((variant, i) => ({
        key: `variant:${variant.name}`,
        label: ` [${variant.name} ${variant.revision}]`,
        server: variantServers[i],
      })),
    ];
    const measured: Measured[] = scenarios.map((scenario) => ({
      scenario,
      pairs: new Map(contenders.map((contender) => [contender.key, []])),
      rss: new Map(),
    }));
    for (const { scenario } of measured) {
      // JIT warm-up, not recorded.
      for (const server of [baseline, ...contenders.map((contender) => contender.server)]) {
        await runSlice(server.url, scenario.requests(seeded), options.connections, options.slice);
      }
    }
    for (let round = 0; round < options.rounds; round += 1) {
      for (const entry of measured) {
        const requests = entry.scenario.requests(seeded);
        // Contenders take turns starting a round; within a pair the baseline goes first every other round.
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
        for (const contender of order) {
          const slice = (server: Server): Promise<SliceResult> =>
            runSlice(server.url, requests, options.connections, options.slice);
          let pair: Pair;
          if (round % 2 === 0) {
            const base = await slice(baseline);
            pair = { baseline: base, own: await slice(contender.server) };
          } else {
            const own = await slice(contender.server);
            pair = { own, baseline: await slice(baseline) };
          }
          entry.pairs.get(contender.key)!.push(pair);
          entry.rss.set(contender.key, [...(entry.rss.get(contender.key) ?? []), contender.server.rssMiB()]);
        }
        log(
          `round ${round + 1} ${entry.scenario.key}: ` +
            contenders
              .map(({ key }) => {
                const last = entry.pairs.get(key)!.at(-1)!;
                return `${key} ${fixed(last.own.rps)} req/s (${fixed(last.own.rps / last.baseline.rps, 2)}×) p99 ${fixed(last.own.p99, 1)} ms`;
              })
              .join('; '),
        );
      }
    }
    for (const entry of measured) {
      for (const contender of contenders) rows.push(requestRow(options, entry, contender));
    }
    await Promise.all(variantServers.splice(0).map((server) => server.stop()));

    if (wanted(options, 'rss')) {
      // Every scenario's requests, spread over the connections.
      const mixed = LOAD_SCENARIOS.flatMap((scenario) => scenario.requests(seeded));
      const soak = await runSlice(api.url, mixed, options.connections, options.soak);
      const rss = api.rssMiB();
      rows.push({
        scenario: `api RSS after ${options.soak} s at ${options.connections} connections`,
        value: `${fixed(rss)} MiB`,
        p50: fixed(soak.p50, 1),
        p99: fixed(soak.p99, 1),
        rss: fixed(rss),
        baseline: `baseline ${fixed(baseline.rssMiB())} MiB`,
        target: `≤ ${RSS_TARGET_MIB} MiB`,
        verdict: soak.failures > 0 ? 'ERROR' : options.tiny ? '—' : rss <= RSS_TARGET_MIB ? 'PASS' : 'MISS',
      });
    }
    await baseline.stop();
    baseline = null;

    if (options.profile > 0 && scenarios.length > 0) {
      const profileDir = join(ROOT, '.data', 'bench', `profile-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      mkdirSync(profileDir, { recursive: true });
      await api.stop();
      const profiled = await startApi({
        name: 'api',
        build: options.build,
        env,
        placement: where,
        pin: true,
        profiler: true,
      });
      api = profiled;
      const scenario = scenarios[0];
      const file = join(profileDir, `${scenario.key}.cpuprofile`);
      await runSlice(api.url, scenario.requests(seeded), options.connections, options.slice);
      await profiled.profile(file, () =>
        runSlice(profiled.url, scenario.requests(seeded), options.connections, options.profile),
      );
      const summary = formatSummary(summarizeProfile(readProfile(file)));
      writeFileSync(join(profileDir, `${scenario.key}.txt`), `${summary}\n`);
      log(`CPU profile of ${scenario.title} under load (${file}):\n${summary}`);
    }
    await api?.stop();
    api = null;
    await deleteKeys(redisUrl, queuePrefix);

    if (wanted(options, 'refresh-sweep')) {
      const sweep = await refreshSweep({
        connections: options.sweep,
        processes: options.processes,
        dataSource,
        cipher: benchCipher(secrets),
        redisUrl,
        log,
        startApi: async (name, endpoint, prefix, extra) =>
          startApi({
            name,
            build: options.build,
            env: await environment(prefix, endpoint, extra),
            placement: where,
            // The sweep is measured on the whole machine (SPEC: 2 cores), one process or several.
            pin: false,
          }),
      });
      const pass = sweep.ok && sweep.seconds <= SWEEP_TARGET_SECONDS;
      rows.push({
        scenario: `proactive refresh of ${fixed(options.sweep)} connections, ${options.processes} api process(es)`,
        value: `${fixed(sweep.seconds, 1)} s`,
        ...emptyRow,
        baseline:
          `${fixed(sweep.tokenCalls)} token calls, ${sweep.lost} lost; ` +
          `${fixed(sweep.institutionConnections)} TCP connections to the institution`,
        target: `≤ ${SWEEP_TARGET_SECONDS} s, one call each, 0 lost`,
        verdict: !sweep.ok ? 'ERROR' : options.tiny ? '—' : pass ? 'PASS' : 'MISS',
      });
    }
    if (wanted(options, 'sync-first') || wanted(options, 'sync-again')) {
      const synced = await syncRows({
        transactions: options.sync,
        dataSource,
        mailDir,
        log,
        deleteKeys: (prefix) => deleteKeys(redisUrl, prefix),
        startApi: async (name, endpoint, prefix) =>
          startApi({
            name,
            build: options.build,
            env: await environment(prefix, endpoint),
            placement: where,
            pin: false,
          }),
      });
      const verdict = (seconds: number, target: number): Verdict =>
        !synced.idempotent ? 'ERROR' : options.tiny ? '—' : seconds <= target ? 'PASS' : 'MISS';
      const { first, again, reread } = synced;
      if (wanted(options, 'sync-first')) {
        rows.push({
          scenario: `first sync of one Sandbox account (${fixed(options.sync)} transactions)`,
          value: `${fixed(first.seconds, 2)} s`,
          ...emptyRow,
          baseline: `${fixed(first.sync.transactions.created)} created, ${fixed(synced.stored)} stored once`,
          target: `≤ ${SYNC_FIRST_TARGET_SECONDS} s`,
          verdict: verdict(first.seconds, SYNC_FIRST_TARGET_SECONDS),
        });
      }
      if (wanted(options, 'sync-again')) {
        const slower = Math.max(again.seconds, reread.seconds);
        rows.push({
          scenario: 'the same sync again, nothing changed',
          value: `${fixed(again.seconds, 2)} s`,
          ...emptyRow,
          baseline:
            `0 written of ${fixed(again.sync.transactions.unchanged)} read; ` +
            `whole history re-read ${fixed(reread.seconds, 2)} s`,
          target: `≤ ${SYNC_AGAIN_TARGET_SECONDS} s (both)`,
          verdict: verdict(slower, SYNC_AGAIN_TARGET_SECONDS),
        });
      }
    }

    console.log(`\n${table(rows)}\n\nmachine: ${machine}`);
    console.log(
      `medians of ${options.rounds} round(s); each api slice of ${options.slice} s paired with a baseline slice run ` +
        `beside it, ratios taken within pairs; ` +
        `${options.users} users; the api as in production (${options.build === 'dist' ? 'dist/' : 'TypeScript sources'}, ENVIRONMENT=production, LOG_LEVEL=warn)`,
    );
    return rows.some((row) => row.verdict === 'ERROR' || row.verdict === 'MISS') ? 1 : 0;
  } finally {
    await api?.stop();
    await baseline?.stop();
    await Promise.all(variantServers.map((server) => server.stop()));
    await sandbox?.close();
    await dataSource?.destroy();
    await deleteKeys(redisUrl, queuePrefix).catch(() => undefined);
    if (database && !options.keep) await dropBenchDatabase(database);
    rmSync(mailDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench | ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
