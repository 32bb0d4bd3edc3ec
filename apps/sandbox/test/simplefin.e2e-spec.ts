import { type SandboxUnderTest, startSandbox } from '@dashtam/testing';

const DAY = 86_400;

/** The Access URL split the way a SimpleFIN client uses it: the URL without userinfo, and Basic auth. */
function accessOf(accessUrl: string): { root: string; authorization: string } {
  const url = new URL(accessUrl);
  const authorization = `Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}`;
  return { root: `${url.protocol}//${url.host}${url.pathname}`, authorization };
}

describe('Sandbox SimpleFIN Bridge', () => {
  let t: SandboxUnderTest;

  beforeAll(async () => {
    t = await startSandbox({});
  });
  afterAll(() => t.sandbox.close());
  beforeEach(() => t.controls.reset());

  const claim = async (setupToken: string) => {
    const claimUrl = Buffer.from(setupToken, 'base64').toString('utf8');
    return fetch(claimUrl, { method: 'POST' });
  };

  it('a setup token names a claim URL on the Sandbox that answers an Access URL once, 403 after', async () => {
    const setupToken = await t.controls.simplefinSetupToken();
    const claimUrl = Buffer.from(setupToken, 'base64').toString('utf8');
    expect(claimUrl.startsWith(`${t.sandbox.url}/simplefin/claim/`)).toBe(true);
    const first = await claim(setupToken);
    expect(first.status).toBe(200);
    const accessUrl = await first.text();
    const parsed = new URL(accessUrl);
    expect(parsed.username).not.toBe('');
    expect(parsed.password).not.toBe('');
    expect(`${parsed.protocol}//${parsed.host}`).toBe(t.sandbox.url);
    expect((await claim(setupToken)).status).toBe(403);
    expect((await t.controls.counters()).simplefin_claim).toBe(2);
  });

  it('GET /accounts: Basic credentials, date window, pending, account filter, errors control', async () => {
    const accessUrl = await (await claim(await t.controls.simplefinSetupToken())).text();
    const { root, authorization } = accessOf(accessUrl);
    expect((await fetch(`${root}/accounts`)).status).toBe(403);
    expect((await fetch(`${root}/accounts`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(403);

    const now = Math.floor(Date.now() / 1000);
    const read = async (query: string) => {
      const res = await fetch(`${root}/accounts?${query}`, { headers: { authorization } });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        errors: string[];
        accounts: Array<{
          id: string;
          name: string;
          holdings: unknown[];
          transactions: Array<{ pending?: boolean; posted: number }>;
        }>;
      };
    };
    const all = await read(`start-date=${now - 10 * DAY}&end-date=${now + DAY}&pending=1`);
    expect(all.errors).toEqual([]);
    expect(all.accounts.map((a) => a.name)).toEqual([
      'Everyday Checking ...4821',
      'High Yield Savings ...7730',
      'Rewards Visa Card ...1188',
      'Brokerage ...5502',
    ]);
    expect(all.accounts[3].holdings).toHaveLength(2);
    const checking = all.accounts[0].transactions;
    expect(checking.filter((tx) => tx.pending)).toHaveLength(2);
    expect(checking.filter((tx) => !tx.pending).every((tx) => tx.posted >= now - 10 * DAY)).toBe(true);
    const again = await read(`start-date=${now - 10 * DAY}&end-date=${now + DAY}&pending=1`);
    expect(again).toEqual(all);

    const posted = await read(`start-date=${now - 10 * DAY}&end-date=${now + DAY}`);
    expect(posted.accounts[0].transactions.some((tx) => tx.pending)).toBe(false);
    const one = await read(`account=SBX-SAV-7730&start-date=${now - 5 * DAY}`);
    expect(one.accounts.map((a) => a.id)).toEqual(['SBX-SAV-7730']);

    await t.controls.simplefinErrors(['Connection to Sandbox Bank may need attention']);
    expect((await read('balances-only=1')).errors).toEqual(['Connection to Sandbox Bank may need attention']);
    const info = await fetch(`${root}/info`);
    expect(await info.json()).toEqual({ versions: ['1.0'] });
    expect(await t.controls.counters()).toEqual(
      expect.objectContaining({ simplefin_claim: 1, simplefin_info: 1, simplefin_accounts: 7 }),
    );
  });

  it('answers 429 past 96 /accounts calls a day per Access URL, and again the next day', async () => {
    const { root, authorization } = accessOf(await (await claim(await t.controls.simplefinSetupToken())).text());
    const call = () => fetch(`${root}/accounts?balances-only=1`, { headers: { authorization } });
    for (let i = 0; i < 96; i += 1) expect((await call()).status).toBe(200);
    const blocked = await call();
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).not.toBeNull();
    await t.controls.advanceClock(DAY);
    expect((await call()).status).toBe(200);
  });

  it('faults strike the SimpleFIN endpoints like the others', async () => {
    const { root, authorization } = accessOf(await (await claim(await t.controls.simplefinSetupToken())).text());
    await t.controls.fault({ endpoint: 'simplefin_accounts', mode: '5xx' });
    expect((await fetch(`${root}/accounts`, { headers: { authorization } })).status).toBe(500);
    expect((await fetch(`${root}/accounts`, { headers: { authorization } })).status).toBe(200);
  });
});
