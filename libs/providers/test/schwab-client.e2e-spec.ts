import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { getConfig } from '@dashtam/config';
import {
  ProviderError,
  SchwabClient,
  SCHWAB_TRANSACTIONS_PAGE_LIMIT,
  type SchwabClientOptions,
} from '@dashtam/providers';
import { failureOf, type SandboxUnderTest, startSandbox } from '@dashtam/testing';

interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, captured: Captured) => void;

/** A bare HTTP server on loopback that records each request and answers with the current handler. */
class WireFake {
  readonly requests: Captured[] = [];
  handler: Handler = (_req, res) => json(res, 200, {});
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        this.requests.push(captured);
        this.handler(req, res, captured);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const TOKEN_RESPONSE = {
  expires_in: 1800,
  token_type: 'Bearer',
  scope: 'api',
  refresh_token: 'R-new',
  access_token: 'A-new',
  id_token: 'I-new',
};
const REDIRECT = 'https://127.0.0.1:8182/callback';

describe('SchwabClient on the wire (real HTTP on loopback)', () => {
  const fake = new WireFake();
  let client: SchwabClient;
  const options = (): SchwabClientOptions => ({
    key: 'schwab',
    baseUrl: fake.url,
    clientId: 'App Key+1',
    clientSecret: 's3cr:et/=',
    timeoutMs: 700,
    supportsPkce: false,
    supportsRevocation: false,
  });

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.handler = (_req, res) => json(res, 200, TOKEN_RESPONSE);
    client = new SchwabClient(options());
  });

  it('exchanges the code form-encoded with HTTP Basic client auth, the code decoded exactly once', async () => {
    const tokens = await client.exchangeCode({
      code: 'C0.abc%40',
      redirectUri: REDIRECT,
      codeVerifier: 'v'.repeat(43),
    });
    expect(tokens).toMatchObject({ accessToken: 'A-new', refreshToken: 'R-new', expiresInSeconds: 1800 });
    const [request] = fake.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/oauth/token');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const basic = Buffer.from(String(request.headers.authorization).replace(/^Basic /, ''), 'base64').toString();
    expect(basic).toBe(`${encodeURIComponent('App Key+1')}:${encodeURIComponent('s3cr:et/=')}`);
    // No PKCE for Schwab, and the secret only ever travels in the header.
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'C0.abc@',
      redirect_uri: REDIRECT,
    });
  });

  it('refreshes with grant_type=refresh_token', async () => {
    await client.refresh('R-old/+=');
    expect(Object.fromEntries(new URLSearchParams(fake.requests[0].body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'R-old/+=',
    });
  });

  it('flat error body → permanent, without the code or token in the message', async () => {
    fake.handler = (_req, res) => json(res, 400, { error: 'invalid_grant', error_description: 'code C0.abc@ is bad' });
    const error = await failureOf<ProviderError>(client.exchangeCode({ code: 'C0.abc%40', redirectUri: REDIRECT }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ classification: 'permanent', oauthError: 'invalid_grant', status: 400 });
    expect(error.message).not.toMatch(/C0\.abc|s3cr/);
  });

  it("Schwab's nested body → the inner code, permanent", async () => {
    fake.handler = (_req, res) =>
      json(res, 400, {
        error: 'unsupported_token_type',
        error_description:
          '400 Bad Request: "{"error_description":"Exception while authenticating refresh token [tokenDigest=abc=]","error":"refresh_token_authentication_error"}"',
      });
    const error = await failureOf<ProviderError>(client.refresh('R-old'));
    expect(error).toMatchObject({
      classification: 'permanent',
      oauthError: 'refresh_token_authentication_error',
      kind: 'oauth_error',
    });
    expect(error.message).not.toContain('tokenDigest');
  });

  it('a CDN "Access Denied" page is not a refusal of the grant', async () => {
    fake.handler = (_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html' });
      res.end('<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD></HTML>');
    };
    expect(await failureOf(client.refresh('R-old'))).toMatchObject({ classification: 'transient', status: 403 });
  });

  it('5xx and 429 (with Retry-After) are transient', async () => {
    fake.handler = (_req, res) => json(res, 503, { error: 'temporarily_unavailable' }, { 'retry-after': '4' });
    expect(await failureOf(client.refresh('R'))).toMatchObject({ classification: 'transient', retryAfterMs: 4000 });
    fake.handler = (_req, res) => json(res, 429, {}, { 'retry-after': '2' });
    expect(await failureOf(client.refresh('R'))).toMatchObject({
      classification: 'transient',
      status: 429,
      retryAfterMs: 2000,
    });
  });

  it('gives up at the configured timeout', async () => {
    fake.handler = () => undefined;
    const started = Date.now();
    const error = await failureOf(client.refresh('R'));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ classification: 'transient', kind: 'timeout', status: null });
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(3000);
  });

  it('a body that stalls after the headers also hits the deadline', async () => {
    fake.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"access_token":');
    };
    expect(await failureOf(client.refresh('R'))).toMatchObject({ classification: 'transient', kind: 'timeout' });
  });

  it('a connection reset is transient', async () => {
    fake.handler = (req) => req.socket.destroy();
    expect(await failureOf(client.refresh('R'))).toMatchObject({ classification: 'transient', kind: 'network' });
  });

  it('a 200 without an access token is a transient invalid response', async () => {
    fake.handler = (_req, res) => json(res, 200, { token_type: 'Bearer' });
    expect(await failureOf(client.refresh('R'))).toMatchObject({
      classification: 'transient',
      kind: 'invalid_response',
    });
  });

  it('does not follow redirects', async () => {
    fake.handler = (req, res) => {
      if (req.url === '/elsewhere') return json(res, 200, TOKEN_RESPONSE);
      res.writeHead(307, { location: `${fake.url}/elsewhere` });
      res.end();
    };
    expect(await failureOf(client.refresh('R'))).toMatchObject({ classification: 'transient', status: 307 });
    expect(fake.requests.map((r) => r.url)).toEqual(['/v1/oauth/token']);
  });

  it('revokes per RFC 7009', async () => {
    fake.handler = (_req, res) => json(res, 200, {});
    await client.revoke('R-old', 'refresh_token');
    expect(fake.requests[0].url).toBe('/v1/oauth/revoke');
    expect(fake.requests[0].headers.authorization).toMatch(/^Basic /);
    expect(Object.fromEntries(new URLSearchParams(fake.requests[0].body))).toEqual({
      token: 'R-old',
      token_type_hint: 'refresh_token',
    });
  });

  it('asks for transactions with dates, every type, and splits a full page', async () => {
    const from = new Date('2026-01-01T00:00:00.000Z');
    const to = new Date('2026-01-03T00:00:00.000Z');
    fake.handler = (req, res) => {
      const query = new URL(req.url ?? '', fake.url).searchParams;
      const start = query.get('startDate');
      // The whole range answers a full page; each half answers its own (overlapping ids are merged).
      if (start === from.toISOString() && query.get('endDate') === to.toISOString()) {
        return json(
          res,
          200,
          Array.from({ length: SCHWAB_TRANSACTIONS_PAGE_LIMIT }, (_, i) => ({ activityId: i })),
        );
      }
      const day = start === from.toISOString() ? '2026-01-01' : '2026-01-02';
      return json(res, 200, [
        { activityId: 1, time: `${day}T10:00:00Z`, type: 'TRADE', netAmount: 1 },
        { activityId: day === '2026-01-01' ? 2 : 3, time: `${day}T11:00:00Z`, type: 'JOURNAL', netAmount: 2 },
      ]);
    };
    const transactions = await client.transactions('ACCESS', { accountId: 'HASH/1', from, to });
    expect(transactions.map((t) => t.providerTransactionId)).toEqual(['2', '1', '3']);
    expect(fake.requests).toHaveLength(3);
    const first = new URL(fake.requests[0].url, fake.url);
    expect(first.pathname).toBe('/trader/v1/accounts/HASH%2F1/transactions');
    expect(first.searchParams.get('types')?.split(',')).toContain('DIVIDEND_OR_INTEREST');
    expect(fake.requests[0].headers.authorization).toBe('Bearer ACCESS');
  });
});

describe('SchwabClient against the Sandbox institution', () => {
  let t: SandboxUnderTest;
  let client: SchwabClient;
  const redirectUri = getConfig().callback.redirectUri;

  beforeAll(async () => {
    t = await startSandbox({ autoApprove: true, redirectUris: [redirectUri] });
    client = new SchwabClient({
      key: 'sandbox',
      baseUrl: t.sandbox.url,
      clientId: t.sandbox.options.clientId,
      clientSecret: t.sandbox.options.clientSecret,
      timeoutMs: 2000,
      supportsPkce: true,
      supportsRevocation: true,
    });
  });
  afterAll(() => t.sandbox.close());

  async function accessToken(): Promise<{ access: string; refresh: string }> {
    const res = await fetch(client.authorizationUrl({ state: 's', redirectUri }), { redirect: 'manual' });
    const code = /[?&]code=([^&]+)/.exec(res.headers.get('location') ?? '')![1];
    const tokens = await client.exchangeCode({ code, redirectUri });
    return { access: tokens.accessToken, refresh: tokens.refreshToken! };
  }

  it('reads accounts with balances and positions, joined to their hash values', async () => {
    const { access } = await accessToken();
    const numbers = await client.accountNumbers(access);
    expect(numbers.length).toBeGreaterThan(0);
    const accounts = await client.accounts(access);
    expect(accounts).toHaveLength(numbers.length);
    for (const account of accounts) {
      expect(numbers.map((n) => n.accountId)).toContain(account.accountId);
      expect(account.mask).toMatch(/^.{4}$/);
      expect(account.currentBalance).toMatch(/^-?\d+(\.\d+)?$/);
      for (const position of account.positions) {
        expect(position.quantity).toMatch(/^-?\d+(\.\d+)?$/);
        expect(position.symbol).not.toBe('');
      }
    }
    expect(accounts.some((a) => a.positions.length > 0)).toBe(true);
  });

  it('reads transactions for a date range, each inside it', async () => {
    const { access } = await accessToken();
    const [account] = await client.accountNumbers(access);
    const to = new Date();
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const transactions = await client.transactions(access, { accountId: account.accountId, from, to });
    expect(transactions.length).toBeGreaterThan(0);
    for (const transaction of transactions) {
      expect(transaction.date >= new Date(from.getTime() - 86_400_000).toISOString().slice(0, 10)).toBe(true);
      expect(transaction.date <= to.toISOString().slice(0, 10)).toBe(true);
      expect(transaction.amount).toMatch(/^-?\d+(\.\d+)?$/);
    }
  });

  it('reads every Sandbox account, every position and two years of every transaction type without error', async () => {
    await t.controls.reset();
    const { access } = await accessToken();
    const numbers = await client.accountNumbers(access);
    expect(numbers).toHaveLength(5);
    const accounts = await client.accounts(access);
    expect(accounts.map((a) => a.accountId)).toEqual(numbers.map((n) => n.accountId));
    expect(accounts.map((a) => a.institutionAccountType)).toEqual(['CASH', 'MARGIN', 'CASH', 'CASH', 'CASH']);
    // userPreference's nicknames tell the IRA and the individual account from a plain cash account.
    expect(accounts.map((a) => a.accountType)).toEqual(['individual', 'margin', 'ira', 'cash', 'cash']);
    const decimal = /^-?\d+(\.\d+)?$/;
    const rawAssetTypes = new Set<string>();
    const assetTypes = new Set<string>();
    for (const account of accounts) {
      expect(account.currentBalance).toMatch(decimal);
      expect(account.availableBalance).toMatch(decimal);
      expect(account.cashBalance).toMatch(decimal);
      for (const position of account.positions) {
        // The raw label carries Schwab's sub-type after a slash (COLLECTIVE_INVESTMENT/EXCHANGE_TRADED_FUND).
        rawAssetTypes.add(position.rawAssetType.split('/')[0]);
        assetTypes.add(position.assetType);
        expect(position.quantity).toMatch(decimal);
        expect(position.marketValue).toMatch(decimal);
      }
    }
    expect([...rawAssetTypes].sort()).toEqual(
      ['CASH_EQUIVALENT', 'COLLECTIVE_INVESTMENT', 'EQUITY', 'FIXED_INCOME', 'MUTUAL_FUND', 'OPTION'].sort(),
    );
    expect([...assetTypes].sort()).toEqual(
      ['equity', 'etf', 'fixed_income', 'money_market', 'mutual_fund', 'option'].sort(),
    );
    // Short positions come through as negative quantities.
    expect(accounts[1].positions.some((p) => p.quantity.startsWith('-'))).toBe(true);

    const to = new Date();
    const yearAgo = new Date(to.getTime() - 365 * 86_400_000);
    const twoYearsAgo = new Date(to.getTime() - 730 * 86_400_000);
    const rawTypes = new Set<string>();
    for (const { accountId } of numbers) {
      const transactions = [
        ...(await client.transactions(access, { accountId, from: yearAgo, to })),
        ...(await client.transactions(access, { accountId, from: twoYearsAgo, to: yearAgo })),
      ];
      expect(new Set(transactions.map((x) => x.providerTransactionId)).size).toBe(500);
      for (const transaction of transactions) {
        rawTypes.add(transaction.rawType);
        expect(transaction.amount).toMatch(decimal);
        expect(transaction.fees).toMatch(decimal);
        expect(transaction.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    expect(rawTypes.size).toBe(15);
  });

  it('walks 10,000 transactions of one account by splitting full pages', async () => {
    await t.controls.reset();
    await t.controls.settings({ transactions_per_account: 10_000, account_kinds: ['margin'] });
    const { access } = await accessToken();
    const [{ accountId }] = await client.accountNumbers(access);
    const to = new Date();
    const yearAgo = new Date(to.getTime() - 365 * 86_400_000);
    const started = Date.now();
    const transactions = [
      ...(await client.transactions(access, { accountId, from: yearAgo, to })),
      ...(await client.transactions(access, {
        accountId,
        from: new Date(to.getTime() - 730 * 86_400_000),
        to: yearAgo,
      })),
    ];
    expect(new Set(transactions.map((x) => x.providerTransactionId)).size).toBe(10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    await t.controls.reset();
  });

  it('a revoked refresh token is refused for good afterwards', async () => {
    const { refresh } = await accessToken();
    await client.revoke(refresh, 'refresh_token');
    await expect(client.refresh(refresh)).rejects.toMatchObject({
      classification: 'permanent',
      oauthError: 'invalid_grant',
    });
  });

  it('wrong client credentials are a permanent invalid_client (nested shape)', async () => {
    const wrong = new SchwabClient({
      key: 'sandbox',
      baseUrl: t.sandbox.url,
      clientId: t.sandbox.options.clientId,
      clientSecret: 'not-the-secret',
      timeoutMs: 2000,
      supportsPkce: true,
      supportsRevocation: true,
    });
    await expect(wrong.refresh('anything')).rejects.toMatchObject({
      classification: 'permanent',
      oauthError: 'invalid_client',
      status: 401,
    });
  });
});
