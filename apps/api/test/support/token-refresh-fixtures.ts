import { type Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';

import type { TokenCipherService } from '@dashtam/crypto';
import {
  deliverCallback,
  type IssuedToken,
  type ProvidersApi,
  type SandboxControlsClient,
  waitFor,
} from '@dashtam/testing';

import { REFRESH_JOB, SCAN_SCHEDULER_ID, TOKEN_REFRESH_QUEUE } from '../../src/queues/token-refresh/token-refresh.jobs';

/** A provider linked through the OAuth flow, with the id of its connection row. */
export interface LinkedProvider {
  providerId: string;
  connectionId: string;
}

/**
 * Links a new `sandbox` provider: authorization URL from `providers`' api, the Sandbox approving at
 * once (auto-approve), then the callback app's delivery to `callbackApiUrl` with the shared secret.
 */
export async function linkProvider(
  providers: ProvidersApi,
  dataSource: DataSource,
  alias: string,
  options: { callbackApiUrl: string; callbackSecret: string },
): Promise<LinkedProvider> {
  const created = await providers.created(alias);
  const started = await providers.authorize(created.id).expect(201);
  const consent = await fetch((started.body as { authorization_url: string }).authorization_url, {
    redirect: 'manual',
  });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`the Sandbox answered ${consent.status}, not a redirect`);
  const redirect = new URL(location);
  await deliverCallback(
    options.callbackApiUrl,
    { state: redirect.searchParams.get('state'), code: redirect.searchParams.get('code') },
    options.callbackSecret,
  ).expect(200);
  return { providerId: created.id, connectionId: await connectionIdOf(dataSource, created.id) };
}

export async function connectionIdOf(dataSource: DataSource, providerId: string): Promise<string> {
  const [row] = (await dataSource.query('SELECT id FROM provider_connections WHERE provider_id = $1', [
    providerId,
  ])) as [{ id: string }];
  return row.id;
}

export interface StoredToken {
  status: string;
  expiresAt: Date | null;
  refreshCount: number;
  version: number;
  accessTokenEncrypted: string;
  refreshTokenEncrypted: string | null;
}

export async function storedToken(dataSource: DataSource, connectionId: string): Promise<StoredToken> {
  const [row] = (await dataSource.query(
    `SELECT c.status, t.expires_at AS "expiresAt", t.refresh_count AS "refreshCount", t.version,
            t.access_token_encrypted AS "accessTokenEncrypted", t.refresh_token_encrypted AS "refreshTokenEncrypted"
       FROM provider_connections c LEFT JOIN provider_tokens t ON t.connection_id = c.id
      WHERE c.id = $1`,
    [connectionId],
  )) as [StoredToken];
  return row;
}

/** Moves the stored expiry: for Dashtam this is the access token growing old, the Sandbox is unaffected. */
export async function expireIn(dataSource: DataSource, connectionId: string, seconds: number): Promise<Date> {
  const [[row]] = (await dataSource.query(
    `UPDATE provider_tokens SET expires_at = now() + make_interval(secs => $2) WHERE connection_id = $1
     RETURNING expires_at AS "expiresAt"`,
    [connectionId, seconds],
  )) as [[{ expiresAt: Date }], number];
  return row.expiresAt;
}

export async function auditActions(
  dataSource: DataSource,
  connectionId: string,
): Promise<Array<{ action: string; requestId: string | null }>> {
  return (await dataSource.query(
    `SELECT action, request_id AS "requestId" FROM provider_audit_logs WHERE connection_id = $1 ORDER BY created_at, id`,
    [connectionId],
  )) as Array<{ action: string; requestId: string | null }>;
}

/**
 * The Sandbox's view of the grant behind a connection's stored refresh token: asserts that the stored
 * token is the one the Sandbox considers current (not rotated, not revoked) and that it appears nowhere
 * in the row in plaintext. Returns every refresh token of that grant, oldest first.
 */
export async function expectStoredRefreshTokenIsCurrent(
  controls: SandboxControlsClient,
  cipher: TokenCipherService,
  dataSource: DataSource,
  connectionId: string,
): Promise<IssuedToken[]> {
  const row = await storedToken(dataSource, connectionId);
  const stored = cipher.decrypt(row.refreshTokenEncrypted!, { aad: connectionId });
  const issued = await controls.issuedTokens();
  const mine = issued.find((token) => token.kind === 'refresh_token' && token.value === stored);
  expect(mine).toBeDefined();
  expect(mine!.status).toBe('active');
  const family = issued.filter((token) => token.family_id === mine!.family_id);
  // A grant revoked as a whole shows in its refresh tokens; a lone revoked access token is one a
  // reuse-grace retry voided.
  expect(family.filter((token) => token.kind === 'refresh_token' && token.status === 'revoked')).toEqual([]);
  for (const token of family) {
    expect(row.refreshTokenEncrypted).not.toContain(token.value);
    expect(row.accessTokenEncrypted).not.toContain(token.value);
  }
  return family.filter((token) => token.kind === 'refresh_token');
}

/**
 * Watches the token refresh queue of one test run (its prefix) from outside the api: `settled` waits
 * until `scans` scans that began after the call have finished and no refresh job they enqueued is
 * still waiting, delayed or running. What a sleep of "a few scan intervals" only hoped for.
 */
export class RefreshQueueWatch {
  private scansDone = 0;

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly connection: Redis,
  ) {
    // Scheduled scans get ids `repeat:<scheduler id>:<time>` and are removed once done: count them here.
    events.on('completed', ({ jobId }) => {
      if (jobId.startsWith(`repeat:${SCAN_SCHEDULER_ID}:`)) this.scansDone += 1;
    });
  }

  static async start(queue: Queue, redisUrl: string, prefix: string): Promise<RefreshQueueWatch> {
    // QueueEvents blocks on its connection: it gets one of its own.
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const events = new QueueEvents(TOKEN_REFRESH_QUEUE, { connection, prefix });
    await events.waitUntilReady();
    return new RefreshQueueWatch(queue, events, connection);
  }

  async settled(scans = 2, timeoutMs = 30_000): Promise<void> {
    const target = this.scansDone + scans;
    await waitFor(`${scans} token refresh scans`, () => this.scansDone >= target, { timeoutMs });
    await waitFor(
      'no refresh job left waiting or running',
      async () => {
        const pending = await this.queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
        return pending.every((job) => job.name !== REFRESH_JOB);
      },
      { timeoutMs },
    );
  }

  async close(): Promise<void> {
    await this.events.close();
    this.connection.disconnect();
  }
}
