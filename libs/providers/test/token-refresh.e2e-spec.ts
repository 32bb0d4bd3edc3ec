import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@nestjs/common';

import {
  ConnectionNotConnectedError,
  ProviderError,
  ProviderUnavailableError,
  ReauthRequiredError,
} from '@dashtam/providers';
import { failureOf, waitFor } from '@dashtam/testing';

import { ProvidersTestKit } from './support/providers-test-kit';

const DAY = 86_400;
const CONTEXT = { requestId: 'req-e2e-1', ipAddress: '198.51.100.7', userAgent: 'providers-e2e' };

describe('token refresh: single-flight across instances, rotation, failures (PostgreSQL + Sandbox)', () => {
  let kit: ProvidersTestKit;

  beforeAll(async () => {
    kit = await ProvidersTestKit.start({ instances: 3, httpTimeoutMs: 1500 });
  });
  afterAll(() => kit.stop());
  beforeEach(() => kit.controls.reset());

  const refresher = (i = 0) => kit.instances[i].refresher;
  const refreshCalls = async () => (await kit.controls.counters()).token_grants.refresh_token;

  it('returns a fresh access token without calling the institution', async () => {
    const { connectionId, tokens } = await kit.linkedConnection();
    const token = await refresher().getValidAccessToken(connectionId);
    expect(token).toEqual({
      connectionId,
      accessToken: tokens.accessToken,
      tokenType: 'Bearer',
      expiresAt: expect.any(Date),
    });
    expect(await refreshCalls()).toBe(0);
  });

  it('refreshes an expired token, stores the rotated refresh token, keeps the 7-day deadline, audits', async () => {
    const { connectionId, tokens } = await kit.linkedConnection();
    const before = await kit.tokenRow(connectionId);
    await kit.expireAccessToken(connectionId);

    const token = await refresher().getValidAccessToken(connectionId, CONTEXT);
    expect(token.accessToken).not.toBe(tokens.accessToken);
    expect(await refreshCalls()).toBe(1);

    const after = await kit.tokenRow(connectionId);
    expect(after).toMatchObject({ version: 2, refresh_count: 1, key_id: kit.cipher.activeKeyId });
    expect(after.last_refreshed_at).not.toBeNull();
    expect(after.refresh_token_expires_at).toEqual(before.refresh_token_expires_at);
    const stored = await kit.decryptedRefreshToken(connectionId);
    expect(stored).not.toBe(tokens.refreshToken);
    expect(kit.cipher.decrypt(String(after.access_token_encrypted), { aad: connectionId })).toBe(token.accessToken);

    const statuses = new Map((await kit.controls.issuedTokens()).map((i) => [i.value, i.status]));
    expect(statuses.get(tokens.refreshToken!)).toBe('rotated');
    expect(statuses.get(stored)).toBe('active');

    const refreshed = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed');
    expect(refreshed).toEqual([
      expect.objectContaining({
        request_id: 'req-e2e-1',
        ip_address: '198.51.100.7',
        user_agent: 'providers-e2e',
        details: expect.objectContaining({ refresh_count: 1, rotated: true }),
      }),
    ]);

    // Refreshing again with what was stored works: the rotated token was not lost.
    await kit.expireAccessToken(connectionId);
    await refresher().getValidAccessToken(connectionId);
    expect((await kit.tokenRow(connectionId)).refresh_token_expires_at).toEqual(before.refresh_token_expires_at);
    expect(await refreshCalls()).toBe(2);
  });

  it('keeps the stored refresh token when the institution does not rotate', async () => {
    await kit.controls.settings({ rotation: 'static' });
    const { connectionId, tokens } = await kit.linkedConnection();
    const status = await refresher().refreshNow(connectionId);
    expect(status).toMatchObject({ refreshCount: 1, hasRefreshToken: true });
    expect(await kit.decryptedRefreshToken(connectionId)).toBe(tokens.refreshToken);
    const [audit] = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed');
    expect(audit.details).toMatchObject({ rotated: false });
  });

  it('20 concurrent callers on 3 instances: one token call, everyone gets the same new token', async () => {
    const { connectionId, tokens } = await kit.linkedConnection();
    await kit.expireAccessToken(connectionId);
    // Slow institution: every caller is waiting while the one refresh is in flight.
    await kit.controls.fault({ endpoint: 'token', mode: 'latency', ms: 400 });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => refresher(i % 3).getValidAccessToken(connectionId)),
    );
    expect(await refreshCalls()).toBe(1);
    const accessTokens = new Set(results.map((r) => r.accessToken));
    expect(accessTokens.size).toBe(1);
    const [newToken] = accessTokens;
    expect(newToken).not.toBe(tokens.accessToken);
    const row = await kit.tokenRow(connectionId);
    expect(row).toMatchObject({ version: 2, refresh_count: 1 });
    expect(kit.cipher.decrypt(String(row.access_token_encrypted), { aad: connectionId })).toBe(newToken);
    expect((await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed')).toHaveLength(1);

    // No stale refresh token was ever sent: the Sandbox's reuse detection revoked nothing.
    const issued = await kit.controls.issuedTokens();
    expect(issued.filter((i) => i.status === 'revoked')).toEqual([]);
  });

  it('concurrent refreshNow on 3 instances: the waiters answer the running refresh result', async () => {
    const { connectionId } = await kit.linkedConnection();
    await kit.controls.fault({ endpoint: 'token', mode: 'latency', ms: 400 });
    const statuses = await Promise.all(Array.from({ length: 9 }, (_, i) => refresher(i % 3).refreshNow(connectionId)));
    expect(await refreshCalls()).toBe(1);
    expect(new Set(statuses.map((s) => s.refreshCount))).toEqual(new Set([1]));
    expect(new Set(statuses.map((s) => s.expiresAt?.getTime())).size).toBe(1);

    // A later refreshNow is a new refresh, not an echo of the old one.
    await refresher(1).refreshNow(connectionId);
    expect(await refreshCalls()).toBe(2);
  });

  it('invalid_grant: requires_reauth (connection and tokens kept) with one audit row, in one transaction', async () => {
    const { connectionId, userId, providerId } = await kit.linkedConnection();
    const before = await kit.tokenRow(connectionId);
    await kit.expireAccessToken(connectionId);
    await kit.controls.fault({ endpoint: 'token', mode: 'invalid_grant' });

    const failures = await Promise.all(
      Array.from({ length: 6 }, (_, i) => failureOf(refresher(i % 3).getValidAccessToken(connectionId, CONTEXT))),
    );
    for (const failure of failures) expect(failure).toBeInstanceOf(ReauthRequiredError);
    expect(failures.map((f) => (f as ReauthRequiredError).reason)).toContain('refresh_refused');
    const refused = failures.find((f) => (f as ReauthRequiredError).reason === 'refresh_refused') as Error;
    expect(refused.cause).toBeInstanceOf(ProviderError);
    expect(refused.cause).toMatchObject({ classification: 'permanent', oauthError: 'invalid_grant' });
    expect(await refreshCalls()).toBe(1);

    expect(await kit.connectionStatus(connectionId)).toEqual({
      status: 'requires_reauth',
      error_message: 'The institution refused the stored authorization; link the account again.',
    });
    const after = await kit.tokenRow(connectionId);
    expect(after.version).toBe(before.version);
    expect(after.refresh_token_encrypted).toBe(before.refresh_token_encrypted);
    const failed = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refresh_failed');
    expect(failed).toEqual([
      expect.objectContaining({
        user_id: userId,
        provider_id: providerId,
        request_id: 'req-e2e-1',
        details: {
          reason: 'refresh_refused',
          classification: 'permanent',
          oauth_error: 'invalid_grant',
          http_status: 400,
          previous_status: 'active',
          status: 'requires_reauth',
        },
      }),
    ]);

    // From now on nothing is sent to the institution until the person links again.
    await expect(refresher().refreshNow(connectionId)).rejects.toMatchObject({ reason: 'requires_reauth' });
    expect(await refreshCalls()).toBe(1);
  });

  it.each([
    [
      '5xx',
      { mode: '5xx' as const },
      { kind: 'oauth_error', oauthError: 'server_error', status: 500, retryAfterMs: null },
    ],
    [
      '429',
      { mode: '429' as const, ms: 3000 },
      { kind: 'oauth_error', oauthError: 'too_many_requests', status: 429, retryAfterMs: 3000 },
    ],
    ['timeout', { mode: 'timeout' as const }, { kind: 'timeout', status: null, retryAfterMs: null }],
  ])('%s: tokens kept, connection active, a transient error to retry', async (_name, fault, expected) => {
    const { connectionId, tokens } = await kit.linkedConnection();
    const before = await kit.tokenRow(connectionId);
    await kit.expireAccessToken(connectionId);
    await kit.controls.fault({ endpoint: 'token', ...fault });

    const failure = await failureOf(refresher().getValidAccessToken(connectionId));
    expect(failure).toBeInstanceOf(ProviderUnavailableError);
    expect((failure as Error).cause).toMatchObject({ classification: 'transient', ...expected });
    expect((failure as ProviderUnavailableError).retryAfterMs).toBe(expected.retryAfterMs);

    const after = await kit.tokenRow(connectionId);
    expect(after.version).toBe(before.version);
    expect(after.refresh_token_encrypted).toBe(before.refresh_token_encrypted);
    expect(await kit.connectionStatus(connectionId)).toEqual({ status: 'active', error_message: null });
    expect((await kit.auditRows(connectionId)).map((a) => a.action)).toEqual(['token_created']);

    // The retry succeeds with the kept refresh token.
    const token = await refresher().getValidAccessToken(connectionId);
    expect(token.accessToken).not.toBe(tokens.accessToken);
    expect(await refreshCalls()).toBe(2);
  });

  it('the 7-day deadline: past it, no call is made and the connection requires re-authorization', async () => {
    const { connectionId } = await kit.linkedConnection();
    await kit.db.query(
      `UPDATE provider_tokens SET refresh_token_expires_at = now() - interval '1 second' WHERE connection_id = $1`,
      [connectionId],
    );
    // Still-valid access tokens are served until they expire.
    await expect(refresher().getValidAccessToken(connectionId)).resolves.toMatchObject({ connectionId });
    await kit.expireAccessToken(connectionId);
    await expect(refresher().getValidAccessToken(connectionId)).rejects.toMatchObject({
      reason: 'refresh_token_expired',
    });
    expect(await refreshCalls()).toBe(0);
    expect((await kit.connectionStatus(connectionId)).status).toBe('requires_reauth');
    const [failed] = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refresh_failed');
    expect(failed.details).toMatchObject({ reason: 'refresh_token_expired', oauth_error: null });
  });

  it("the institution's own 7 days: after them it refuses, and refreshing never moved our deadline", async () => {
    const { connectionId } = await kit.linkedConnection();
    const deadline = (await kit.tokenRow(connectionId)).refresh_token_expires_at;
    await kit.controls.advanceClock(6 * DAY);
    await refresher().refreshNow(connectionId);
    expect((await kit.tokenRow(connectionId)).refresh_token_expires_at).toEqual(deadline);
    await kit.controls.advanceClock(DAY + 60);
    await expect(refresher().refreshNow(connectionId)).rejects.toBeInstanceOf(ReauthRequiredError);
    expect((await kit.connectionStatus(connectionId)).status).toBe('requires_reauth');
  });

  it('answer lost after the institution rotated, with a reuse grace: asked once more at once, the rotation is kept', async () => {
    await kit.controls.settings({ reuse_grace_seconds: 30 });
    const { connectionId, tokens } = await kit.linkedConnection();
    await kit.controls.fault({ endpoint: 'token', mode: 'reset_after_commit' });

    await expect(refresher().refreshNow(connectionId, CONTEXT)).resolves.toMatchObject({
      status: 'active',
      refreshCount: 1,
    });
    expect(await refreshCalls()).toBe(2);
    const stored = await kit.decryptedRefreshToken(connectionId);
    const statuses = (await kit.controls.issuedTokens()).filter((i) => i.kind === 'refresh_token');
    // The first grant's token, the successor whose answer was lost (void now), and the stored one.
    expect(statuses.map((i) => [i.value === stored, i.value === tokens.refreshToken, i.status])).toEqual([
      [false, true, 'rotated'],
      [false, false, 'rotated'],
      [true, false, 'active'],
    ]);
    expect((await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed')).toHaveLength(1);
    await kit.expireAccessToken(connectionId);
    await expect(refresher(1).getValidAccessToken(connectionId)).resolves.toMatchObject({ connectionId });
  });

  it('answer lost after a strict institution rotated: the one retry is refused as reuse, requires_reauth at once', async () => {
    const { connectionId } = await kit.linkedConnection();
    await kit.controls.fault({ endpoint: 'token', mode: 'reset_after_commit' });
    // The institution rotated and we never saw the answer: the stored token is now a reused one.
    await expect(refresher().refreshNow(connectionId)).rejects.toMatchObject({ reason: 'refresh_refused' });
    expect(await refreshCalls()).toBe(2);
    expect((await kit.connectionStatus(connectionId)).status).toBe('requires_reauth');
  });

  it('answer lost with a non-rotating institution: the retry succeeds; two lost answers in a row are transient', async () => {
    await kit.controls.settings({ rotation: 'static' });
    const { connectionId } = await kit.linkedConnection();
    await kit.controls.fault({ endpoint: 'token', mode: 'reset_after_commit' });
    await expect(refresher().refreshNow(connectionId)).resolves.toMatchObject({ status: 'active', refreshCount: 1 });
    expect(await refreshCalls()).toBe(2);

    await kit.controls.fault({ endpoint: 'token', mode: 'reset_after_commit', count: 2 });
    const lost = await failureOf(refresher().refreshNow(connectionId));
    expect(lost).toBeInstanceOf(ProviderUnavailableError);
    expect((lost as Error).cause).toMatchObject({ classification: 'transient', kind: 'network' });
    expect(await refreshCalls()).toBe(4);
    expect((await kit.connectionStatus(connectionId)).status).toBe('active');
    await expect(refresher().refreshNow(connectionId)).resolves.toMatchObject({ status: 'active', refreshCount: 2 });
  });

  it('the database connection dies while the institution answers: the rotated token is still stored', async () => {
    const { connectionId, tokens } = await kit.linkedConnection();
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    await kit.controls.fault({ endpoint: 'token', mode: 'latency', ms: 800 });
    const refreshing = refresher().refreshNow(connectionId);
    // Kill the lock holder's PostgreSQL session while it waits on the institution.
    const holder = await waitForLockHolder(kit, connectionId);
    await kit.instances[1].dataSource.query('SELECT pg_terminate_backend($1)', [holder]);

    const status = await refreshing;
    expect(status).toMatchObject({ refreshCount: 1 });
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('refreshed tokens stored on the second attempt'));
    warnings.mockRestore();
    const stored = await kit.decryptedRefreshToken(connectionId);
    expect(stored).not.toBe(tokens.refreshToken);
    const statuses = new Map((await kit.controls.issuedTokens()).map((i) => [i.value, i.status]));
    expect(statuses.get(stored)).toBe('active');
    expect((await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed')).toHaveLength(1);
    await kit.expireAccessToken(connectionId);
    await expect(refresher(2).getValidAccessToken(connectionId)).resolves.toMatchObject({ connectionId });
  });

  it('refuses connections without tokens', async () => {
    const pending = await kit.createConnection();
    await expect(refresher().getValidAccessToken(pending.connectionId)).rejects.toBeInstanceOf(
      ConnectionNotConnectedError,
    );
    await expect(refresher().refreshNow(pending.connectionId)).rejects.toBeInstanceOf(ConnectionNotConnectedError);
  });
});

function waitForLockHolder(kit: ProvidersTestKit, connectionId: string): Promise<number> {
  return waitFor(
    `a session holding the token lock of ${connectionId}`,
    async () => {
      // While it waits on the institution, the holder sits idle in its transaction after reading the locked row.
      const rows = (await kit.db.query(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%JOIN providers p%'`,
      )) as Array<{ pid: number }>;
      return rows[0]?.pid;
    },
    { timeoutMs: 1_000, intervalMs: 20 },
  );
}

describe('token refresh against an institution that returns no refresh token (Schwab key, loopback fake)', () => {
  let kit: ProvidersTestKit;
  let server: Server;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `A-${bodies.length}`, token_type: 'Bearer', expires_in: 1800 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    kit = await ProvidersTestKit.start({ schwabBaseUrl: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await kit.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps the stored refresh token and sends it again next time', async () => {
    const { connectionId } = await kit.createConnection('schwab');
    await kit.instances[0].vault.storeAuthorizedTokens({
      connectionId,
      tokens: {
        accessToken: 'A-0',
        refreshToken: 'R-first',
        idToken: null,
        tokenType: 'Bearer',
        expiresInSeconds: 1,
        scope: 'api',
        refreshTokenExpiresInSeconds: null,
      },
    });
    const first = await kit.instances[0].refresher.getValidAccessToken(connectionId);
    expect(first.accessToken).toBe('A-1');
    expect(await kit.decryptedRefreshToken(connectionId)).toBe('R-first');
    expect((await kit.tokenRow(connectionId)).id_token_encrypted).toBeNull();
    const [audit] = (await kit.auditRows(connectionId)).filter((a) => a.action === 'token_refreshed');
    expect(audit.details).toMatchObject({ rotated: false, refresh_count: 1 });

    await kit.expireAccessToken(connectionId);
    await kit.instances[0].refresher.getValidAccessToken(connectionId);
    expect(bodies.map((b) => new URLSearchParams(b).get('refresh_token'))).toEqual(['R-first', 'R-first']);
  });
});
