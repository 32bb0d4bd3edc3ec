import {
  createSignedInUser,
  type LinkingStack,
  linkThroughBrowser,
  ProvidersApi,
  startLinkingStack,
} from '@dashtam/testing';

/**
 * Abuse limits around linking: a forced refresh right after another answers the current status without
 * calling the institution, and creating providers or starting authorizations is rate limited per user.
 */
describe('providers: forced-refresh throttle and per-user limits', () => {
  let stack: LinkingStack;

  beforeAll(async () => {
    stack = await startLinkingStack({
      providers: { forcedRefreshMinIntervalSeconds: 30 },
      auth: { rateLimit: { windowSeconds: 60, perIp: 1000, perAccount: 5 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('50 sequential PATCH …/authorization make one token call; the answers all show the same refresh', async () => {
    const api = new ProvidersApi(stack.api.url, (await createSignedInUser(stack.api)).auth);
    const provider = await api.created('Throttled');
    const page = await linkThroughBrowser(stack, api, provider.id);
    expect(page.status).toBe(200);

    const before = await stack.controls.counters();
    const answers = [];
    for (let i = 0; i < 50; i += 1) answers.push((await api.refresh(provider.id).expect(200)).body);
    const after = await stack.controls.counters();

    expect(after.token_grants.refresh_token - before.token_grants.refresh_token).toBe(1);
    expect(new Set(answers.map((a) => a.last_refreshed_at)).size).toBe(1);
    expect(answers.every((a) => a.refresh_count === 1 && a.status === 'active')).toBe(true);
  });

  it('limits provider creation per user: past the limit 429 with Retry-After, nothing created', async () => {
    const user = await createSignedInUser(stack.api);
    const api = new ProvidersApi(stack.api.url, user.auth);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await api.create({ provider_key: 'sandbox', alias: `P${i}` })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    const refused = await api.create({ provider_key: 'sandbox', alias: 'One more' }).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const rows = (await stack.api.dataSource.query('SELECT count(*)::int AS n FROM providers WHERE user_id = $1', [
      user.user.id,
    ])) as Array<{ n: number }>;
    expect(rows[0].n).toBe(5);
  });

  it('limits authorization starts per user', async () => {
    const user = await createSignedInUser(stack.api);
    const api = new ProvidersApi(stack.api.url, user.auth);
    const provider = await api.created('Many starts');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await api.authorize(provider.id)).status);
    // Each rate-limited route has its own budget per user.
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});
