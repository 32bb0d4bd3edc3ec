import { type SandboxUnderTest, startSandbox } from '@dashtam/testing';

const DAY = 86_400;
const invalidGrant = (description: string) => ({
  error: 'invalid_grant',
  error_description: JSON.stringify({ error: 'invalid_grant', error_description: description }),
});

describe('Sandbox token endpoint: refresh_token grant, rotation and the 7-day deadline', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(() => t.controls.reset());

  const accountNumbers = (accessToken: string) => t.client.trader('/trader/v1/accounts/accountNumbers', accessToken);

  describe('rotating (the default)', () => {
    it('each refresh returns a new refresh token and a new access token', async () => {
      const first = await t.client.connect();
      const res = await t.client.refresh(first.refresh_token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ expires_in: 1800, token_type: 'Bearer', scope: 'api', id_token: expect.any(String) }),
      );
      expect(res.body.refresh_token).not.toBe(first.refresh_token);
      expect(res.body.access_token).not.toBe(first.access_token);
      expect((await accountNumbers(String(res.body.access_token))).status).toBe(200);

      const statuses = Object.fromEntries((await t.controls.issuedTokens()).map((i) => [i.value, i.status]));
      expect(statuses[first.refresh_token]).toBe('rotated');
      expect(statuses[String(res.body.refresh_token)]).toBe('active');
      expect(await t.controls.counters()).toEqual(
        expect.objectContaining({ token: 2, token_grants: { authorization_code: 1, refresh_token: 1, other: 0 } }),
      );
    });

    it('reusing a rotated refresh token is invalid_grant (nested) and revokes the whole family', async () => {
      const first = await t.client.connect();
      const second = (await t.client.refresh(first.refresh_token)).body;

      const reuse = await t.client.refresh(first.refresh_token);
      expect(reuse.status).toBe(400);
      expect(reuse.body).toEqual(
        invalidGrant('Refresh token has already been used; every token of this grant is revoked'),
      );

      const newest = await t.client.refresh(String(second.refresh_token));
      expect(newest.status).toBe(400);
      expect(newest.body).toEqual(invalidGrant('Refresh token has been revoked'));
      expect((await accountNumbers(String(second.access_token))).status).toBe(401);
      expect((await accountNumbers(first.access_token)).status).toBe(401);
      const family = (await t.controls.issuedTokens()).filter((i) => i.kind !== 'authorization_code');
      expect(new Set(family.map((i) => i.status))).toEqual(new Set(['revoked']));
    });

    it('reuse in one grant leaves other grants alone', async () => {
      const mine = await t.client.connect();
      const other = await t.client.connect();
      await t.client.refresh(mine.refresh_token);
      await t.client.refresh(mine.refresh_token);
      expect((await t.client.refresh(other.refresh_token)).status).toBe(200);
    });
  });

  describe('rotating with a reuse grace (reuse_grace_seconds)', () => {
    const GRACE = 30;
    beforeEach(() => t.controls.settings({ reuse_grace_seconds: GRACE }));
    const statuses = async () =>
      Object.fromEntries((await t.controls.issuedTokens()).map((i) => [i.value, i.status] as const));

    it('the rotated-out token redeems again while its successor is unused; the lost pair is void', async () => {
      const first = await t.client.connect();
      const lost = (await t.client.refresh(first.refresh_token)).body;

      const retry = await t.client.refresh(first.refresh_token);
      expect(retry.status).toBe(200);
      const fresh = retry.body;
      expect(new Set([fresh.refresh_token, lost.refresh_token, first.refresh_token]).size).toBe(3);
      expect((await accountNumbers(String(lost.access_token))).status).toBe(401);
      expect((await accountNumbers(String(fresh.access_token))).status).toBe(200);
      const after = await statuses();
      expect(after[String(fresh.refresh_token)]).toBe('active');
      expect(after[String(lost.refresh_token)]).toBe('rotated');
      expect(after[first.refresh_token]).toBe('rotated');

      // Only the newest pair counts: the voided successor is reuse like any other.
      const stale = await t.client.refresh(String(lost.refresh_token));
      expect(stale.status).toBe(400);
      expect(stale.body).toEqual(
        invalidGrant('Refresh token has already been used; every token of this grant is revoked'),
      );
      expect((await accountNumbers(String(fresh.access_token))).status).toBe(401);
    });

    it('once the successor was used, the older token is reuse and revokes the grant', async () => {
      const first = await t.client.connect();
      const second = (await t.client.refresh(first.refresh_token)).body;
      const third = (await t.client.refresh(String(second.refresh_token))).body;

      expect((await t.client.refresh(first.refresh_token)).status).toBe(400);
      expect((await t.client.refresh(String(third.refresh_token))).body).toEqual(
        invalidGrant('Refresh token has been revoked'),
      );
    });

    it('counts from the first rotation: retries do not extend it, and past it reuse revokes', async () => {
      const first = await t.client.connect();
      await t.client.refresh(first.refresh_token);
      await t.controls.advanceClock(GRACE - 10);
      const retried = await t.client.refresh(first.refresh_token);
      expect(retried.status).toBe(200);
      await t.controls.advanceClock(15);

      const late = await t.client.refresh(first.refresh_token);
      expect(late.status).toBe(400);
      expect(late.body).toEqual(
        invalidGrant('Refresh token has already been used; every token of this grant is revoked'),
      );
      expect((await t.client.refresh(String(retried.body.refresh_token))).status).toBe(400);
      expect(new Set(Object.values(await statuses()).filter((s) => s !== 'used'))).toEqual(new Set(['revoked']));
    });

    it('is off by default: the first reuse revokes', async () => {
      await t.controls.reset();
      expect((await t.controls.settings({ access_ttl_seconds: 1800 })).reuse_grace_seconds).toBe(0);
      const first = await t.client.connect();
      await t.client.refresh(first.refresh_token);
      expect((await t.client.refresh(first.refresh_token)).status).toBe(400);
    });
  });

  describe('static', () => {
    it('returns the same refresh token on every refresh and accepts it again', async () => {
      await t.controls.settings({ rotation: 'static' });
      const first = await t.client.connect();
      for (let i = 0; i < 3; i++) {
        const res = await t.client.refresh(first.refresh_token);
        expect(res.status).toBe(200);
        expect(res.body.refresh_token).toBe(first.refresh_token);
        expect(res.body.access_token).not.toBe(first.access_token);
      }
      const refreshTokens = (await t.controls.issuedTokens()).filter((i) => i.kind === 'refresh_token');
      expect(refreshTokens).toHaveLength(1);
    });
  });

  it('access tokens expire after 30 minutes of sandbox time', async () => {
    const tokens = await t.client.connect();
    await t.controls.advanceClock(1799);
    expect((await accountNumbers(tokens.access_token)).status).toBe(200);
    await t.controls.advanceClock(1);
    const expired = await accountNumbers(tokens.access_token);
    expect(expired.status).toBe(401);
    const fresh = await t.client.refresh(tokens.refresh_token);
    expect((await accountNumbers(String(fresh.body.access_token))).status).toBe(200);
  });

  it('the 7-day refresh deadline is fixed at the code exchange and never extended by refreshing', async () => {
    let tokens = await t.client.connect();
    const deadline = (await t.controls.issuedTokens()).find((i) => i.kind === 'refresh_token')!.expires_at;
    for (let day = 1; day <= 6; day++) {
      await t.controls.advanceClock(DAY);
      const res = await t.client.refresh(tokens.refresh_token);
      expect(res.status).toBe(200);
      tokens = res.body as unknown as typeof tokens;
    }
    const refreshTokens = (await t.controls.issuedTokens()).filter((i) => i.kind === 'refresh_token');
    expect(new Set(refreshTokens.map((r) => r.expires_at))).toEqual(new Set([deadline]));

    await t.controls.advanceClock(DAY);
    const late = await t.client.refresh(tokens.refresh_token);
    expect(late.status).toBe(400);
    expect(late.body).toEqual(invalidGrant('Refresh token has expired'));
  });

  it('TTL settings apply to tokens issued afterwards', async () => {
    await t.controls.settings({ access_ttl_seconds: 60, refresh_ttl_seconds: 120 });
    const tokens = await t.client.connect();
    expect(tokens.expires_in).toBe(60);
    await t.controls.advanceClock(61);
    expect((await accountNumbers(tokens.access_token)).status).toBe(401);
    const refreshed = await t.client.refresh(tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    await t.controls.advanceClock(60);
    expect((await t.client.refresh(String(refreshed.body.refresh_token))).body).toEqual(
      invalidGrant('Refresh token has expired'),
    );
  });

  it('an unknown refresh token is invalid_grant (nested)', async () => {
    const res = await t.client.refresh('R0.not-a-token@');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(invalidGrant('Refresh token is invalid'));
  });
});
