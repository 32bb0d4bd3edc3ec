// `npm run bench:token-refresh [-- CONNECTIONS [PROCESSES]]` with ENVIRONMENT=testing: SPEC §9's "proactive
// refresh of 10,000 connections against the Sandbox ≤ 60 s on 2 cores, zero lost, one token call each".
// Empties the test database, obtains CONNECTIONS real grants from an in-process Sandbox (rotating, reuse
// detection on), stores them as expired tokens of active connections, starts real api processes with the
// scheduled refresh on and times until every connection holds a fresh token. Then it checks that the
// Sandbox saw exactly one refresh per connection and that every stored refresh token is the current one.
import 'reflect-metadata';

import { randomBytes, randomUUID } from 'node:crypto';

import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';

import { getConfig, isTestEnvironment } from '@dashtam/config';
import { TokenCipherService } from '@dashtam/crypto';
import { buildDataSourceOptions, truncateAllTables } from '@dashtam/database';
import {
  REFRESH_JOB,
  type SandboxHandle,
  startApiProcesses,
  startSandbox,
  stopAll,
  TOKEN_REFRESH_QUEUE,
} from '@dashtam/testing';

const TARGET_SECONDS = 60;
const LEAD_SECONDS = 300;
const SEED_CONCURRENCY = 32;
const INSERT_BATCH = 1_000;
const REDIRECT_URI = 'https://127.0.0.1:1/callback';

interface Grant {
  connectionId: string;
  accessToken: string;
  refreshToken: string;
}

function log(message: string): void {
  console.log(`bench:token-refresh | ${message}`);
}

/** One grant the way Dashtam gets it: authorize (auto-approved), then the code exchange. */
async function obtainGrant(sandbox: SandboxHandle): Promise<Omit<Grant, 'connectionId'>> {
  const { clientId, clientSecret } = sandbox.options;
  const authorize = new URL('/v1/oauth/authorize', sandbox.url);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    state: randomBytes(16).toString('hex'),
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? 'x:').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${redirect.status} without a code`);
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const res = await fetch(new URL('/v1/oauth/token', sandbox.url), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }).toString(),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  const body = (await res.json()) as { access_token: string; refresh_token: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

async function obtainGrants(sandbox: SandboxHandle, count: number): Promise<Grant[]> {
  const grants: Grant[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      grants.push({ connectionId: randomUUID(), ...(await obtainGrant(sandbox)) });
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return grants;
}

/** One user, CONNECTIONS active sandbox providers, every access token expired a minute ago. */
async function storeGrants(dataSource: DataSource, cipher: TokenCipherService, grants: Grant[]): Promise<void> {
  const [user] = (await dataSource.query(
    `INSERT INTO users (email, name, password_hash, email_verified_at) VALUES ($1, 'Bench', 'not-a-login', now())
     RETURNING id`,
    [`bench-${randomBytes(4).toString('hex')}@example.test`],
  )) as [{ id: string }];
  for (let start = 0; start < grants.length; start += INSERT_BATCH) {
    const batch = grants.slice(start, start + INSERT_BATCH);
    const providerIds = batch.map(() => randomUUID());
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO providers (id, user_id, provider_key, alias)
         SELECT id, $1, 'sandbox', 'Bench ' || n FROM unnest($2::uuid[], $3::int[]) AS t(id, n)`,
        [user.id, providerIds, batch.map((_, i) => start + i)],
      );
      await manager.query(
        `INSERT INTO provider_connections (id, provider_id, status, connected_at)
         SELECT id, provider_id, 'active', now() FROM unnest($1::uuid[], $2::uuid[]) AS t(id, provider_id)`,
        [batch.map((g) => g.connectionId), providerIds],
      );
      await manager.query(
        `INSERT INTO provider_tokens
           (connection_id, access_token_encrypted, refresh_token_encrypted, expires_at, refresh_token_expires_at, key_id)
         SELECT id, access, refresh, now() - interval '1 minute', now() + interval '7 days', $4
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, access, refresh)`,
        [
          batch.map((g) => g.connectionId),
          batch.map((g) => cipher.encrypt(g.accessToken, { aad: g.connectionId })),
          batch.map((g) => cipher.encrypt(g.refreshToken, { aad: g.connectionId })),
          cipher.activeKeyId,
        ],
      );
    });
  }
}

async function countFresh(dataSource: DataSource): Promise<number> {
  const [row] = (await dataSource.query(
    `SELECT count(*)::int AS n FROM provider_tokens WHERE expires_at > now() + make_interval(secs => $1)`,
    [LEAD_SECONDS],
  )) as [{ n: number }];
  return row.n;
}

/** Median and 95th percentile of how long refresh jobs ran and waited in the queue, in ms. */
async function jobTimings(prefix: string): Promise<string> {
  const connection = new Redis(getConfig().redis.url!, { maxRetriesPerRequest: null });
  const queue = new Queue(TOKEN_REFRESH_QUEUE, { connection, prefix });
  try {
    const jobs = (await queue.getJobs(['completed'], 0, -1)).filter((job) => job.name === REFRESH_JOB);
    const pick = (values: number[], q: number): number =>
      values.sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
    const ran = jobs.map((job) => job.finishedOn! - job.processedOn!);
    const waited = jobs.map((job) => job.processedOn! - job.timestamp);
    return `${jobs.length} jobs; ran p50 ${pick(ran, 0.5)} ms, p95 ${pick(ran, 0.95)} ms; queued p50 ${pick(waited, 0.5)} ms`;
  } finally {
    await queue.close();
    await connection.quit();
  }
}

async function main(): Promise<number> {
  const connections = Number(process.argv[2] ?? 10_000);
  const processes = Number(process.argv[3] ?? 1);
  const config = getConfig();
  if (!isTestEnvironment(config.app.environment) || !config.database.name.includes('test')) {
    throw new Error('run with ENVIRONMENT=testing against a database whose name contains "test": it is emptied');
  }
  const dataSource = await new DataSource(buildDataSourceOptions(config.database)).initialize();
  const cipher = new TokenCipherService(config.crypto);
  const { sandbox, controls } = await startSandbox({
    clientSecret: `bench-${randomBytes(12).toString('hex')}`,
    redirectUris: [REDIRECT_URI],
    autoApprove: true,
    rotation: 'rotating',
  });
  try {
    await truncateAllTables(dataSource);
    let started = Date.now();
    const grants = await obtainGrants(sandbox, connections);
    await storeGrants(dataSource, cipher, grants);
    // A live database has statistics (autovacuum); freshly bulk-loaded tables do not, and without them
    // the planner reads every due token per scan page instead of walking ix_provider_tokens_expires_at.
    await dataSource.query('ANALYZE users, providers, provider_connections, provider_tokens');
    log(`${connections} grants obtained and stored as expired in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const before = (await controls.counters()).token_grants.refresh_token;

    started = Date.now();
    const prefix = `dashtam-bench-${randomBytes(6).toString('hex')}`;
    await startApiProcesses(processes, {
      SANDBOX_BASE_URL: sandbox.url,
      SANDBOX_CLIENT_ID: sandbox.options.clientId,
      SANDBOX_CLIENT_SECRET: sandbox.options.clientSecret,
      JOBS_QUEUE_PREFIX: prefix,
      PROVIDER_TOKEN_REFRESH_LEAD_SECONDS: String(LEAD_SECONDS),
      PROVIDER_REFRESH_SCAN_SECONDS: '5',
      PROVIDER_REFRESH_CONCURRENCY: '16',
      DATABASE_POOL_MAX: '20',
      LOG_LEVEL: 'warn',
    });
    const booted = Date.now();
    log(`${processes} api process(es) listening after ${((booted - started) / 1000).toFixed(1)} s`);
    for (;;) {
      const fresh = await countFresh(dataSource);
      if (fresh >= connections) break;
      if (Date.now() - booted > 10 * TARGET_SECONDS * 1000) throw new Error(`only ${fresh} refreshed; giving up`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const seconds = (Date.now() - booted) / 1000;

    const calls = (await controls.counters()).token_grants.refresh_token - before;
    const current = new Set(
      (await controls.issuedTokens())
        .filter((token) => token.kind === 'refresh_token' && token.status === 'active')
        .map((token) => token.value),
    );
    const rows = (await dataSource.query(
      `SELECT t.connection_id AS "connectionId", t.refresh_token_encrypted AS "refresh", c.status
         FROM provider_tokens t JOIN provider_connections c ON c.id = t.connection_id`,
    )) as Array<{ connectionId: string; refresh: string; status: string }>;
    const lost = rows.filter(
      (row) => row.status !== 'active' || !current.has(cipher.decrypt(row.refresh, { aad: row.connectionId })),
    ).length;

    log(`refreshed ${connections} connections in ${seconds.toFixed(1)} s after boot (target ≤ ${TARGET_SECONDS} s)`);
    log(`token calls: ${calls} (target ${connections}); lost or not current: ${lost} (target 0)`);
    log(await jobTimings(prefix));
    const ok = seconds <= TARGET_SECONDS && calls === connections && lost === 0;
    log(ok ? 'PASS' : 'FAIL');
    return ok ? 0 : 1;
  } finally {
    await stopAll();
    await sandbox.close();
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:token-refresh | ${error instanceof Error ? error.message : String(error)}`);
    void stopAll().finally(() => process.exit(1));
  },
);
