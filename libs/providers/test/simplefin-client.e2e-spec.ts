import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ProviderError, SimplefinClient } from '@dashtam/providers';
import { failureOf } from '@dashtam/testing';

const USER = 'sfin-user-4d1a';
const PASSWORD = 'sfin-pass-8c2e77';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const ACCOUNT_SET = {
  errors: ['Connection to First Bank may need attention'],
  accounts: [
    {
      org: { domain: 'firstbank.example', name: 'First Bank' },
      id: 'ACT-1',
      name: 'Checking ...4821',
      currency: 'USD',
      balance: '1520.10',
      'available-balance': '1500.00',
      'balance-date': 1_760_000_000,
      transactions: [
        { id: 'TRN-1', posted: 1_759_900_000, amount: '-12.50', description: 'Coffee' },
        { id: 'TRN-2', posted: 0, amount: '-3.00', description: 'Pending snack', pending: true },
      ],
    },
  ],
};

/**
 * SimplefinClient against a bare HTTP server on loopback speaking the SimpleFIN protocol: what goes on
 * the wire (Basic auth from the Access URL's userinfo, never the userinfo in the URL; the window as
 * `start-date`/`end-date`, `pending=1`), what comes back (the Bridge's `errors` as warnings), and how
 * each failure is classified — with the Access URL's credentials in no error, whatever went wrong.
 */
describe('SimplefinClient against a SimpleFIN server (real HTTP on loopback)', () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  let seen: Array<{ method: string; url: string; authorization: string | undefined }>;
  let client: SimplefinClient;
  let accessUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    client = new SimplefinClient({
      key: 'simplefin',
      allowedHosts: [{ host: '127.0.0.1', port }],
      timeoutMs: 400,
    });
    accessUrl = `http://${USER}:${PASSWORD}@127.0.0.1:${port}/simplefin`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen = [];
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ACCOUNT_SET));
  });

  /** Nothing an error carries — message, stack, cause chain, enumerable fields — names the credentials. */
  function expectNoCredentials(error: unknown): void {
    const texts: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      texts.push(e.message, e.stack ?? '', JSON.stringify(e), String(e));
    }
    const all = texts.join('\n');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(USER);
    expect(all).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
  }

  it('reads /accounts with HTTP Basic from the userinfo, the window as UNIX seconds and pending=1', async () => {
    const from = new Date('2026-01-01T00:00:00.500Z');
    const to = new Date('2026-03-01T12:00:00Z');
    const snapshot = await client.snapshot(accessUrl, { from, to });

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request.method).toBe('GET');
    expect(request.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    const url = new URL(request.url, 'http://x');
    expect(url.pathname).toBe('/simplefin/accounts');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'start-date': String(Math.floor(from.getTime() / 1000)),
      'end-date': String(to.getTime() / 1000),
      pending: '1',
    });
    expect(request.url).not.toContain(PASSWORD);

    expect(snapshot.accounts.map((a) => [a.accountId, a.mask])).toEqual([['ACT-1', '4821']]);
    const transactions = snapshot.transactions.get('ACT-1')!;
    expect(transactions.map((t) => [t.providerTransactionId, t.status])).toEqual([
      ['TRN-1', 'posted'],
      ['TRN-2', 'pending'],
    ]);
    expect(snapshot.warnings.join('\n')).toContain('Connection to First Bank may need attention');
  });

  it('percent-encoded userinfo is decoded into the Basic credentials', async () => {
    await client.snapshot(`http://us%40er:p%3Ass@127.0.0.1:${port}/simplefin`, { from: new Date(0), to: new Date() });
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
  });

  it.each([
    [402, 'the subscription lapsed'],
    [403, 'access withdrawn at the Bridge'],
  ])('%s on /accounts (%s) is a permanent data refusal', async (status) => {
    handler = (_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end(`denied for ${USER}`);
    const error = await failureOf<ProviderError>(client.snapshot(accessUrl, { from: new Date(0), to: new Date() }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      operation: 'data',
      classification: 'permanent',
      status,
      code: 'PROVIDER.DATA_REFUSED',
    });
    expectNoCredentials(error);
  });

  it('429 is transient and carries the Retry-After', async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '120' }).end();
    const error = await failureOf<ProviderError>(client.snapshot(accessUrl, { from: new Date(0), to: new Date() }));
    expect(error).toMatchObject({ classification: 'transient', status: 429, retryAfterMs: 120_000 });
    expectNoCredentials(error);
  });

  it.each<[string, Handler, Partial<ProviderError>]>([
    ['a 5xx', (_req, res) => res.writeHead(503).end(`upstream ${PASSWORD}`), { kind: 'http_status', status: 503 }],
    [
      'malformed JSON',
      (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(`{"accounts": [${PASSWORD}`),
      { kind: 'invalid_response' },
    ],
    ['a JSON array', (_req, res) => res.writeHead(200).end('[]'), { kind: 'invalid_response' }],
    ['a held request (timeout)', () => undefined, { kind: 'timeout' }],
    ['a reset connection', (req) => req.socket.destroy(), { kind: 'network' }],
  ])('%s is transient and names no credential', async (_name, failing, expected) => {
    handler = failing;
    const error = await failureOf<ProviderError>(client.snapshot(accessUrl, { from: new Date(0), to: new Date() }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ classification: 'transient', operation: 'data', ...expected });
    expectNoCredentials(error);
  });

  it('an Access URL on another port is refused before any request, naming host:port only', async () => {
    const elsewhere = `http://${USER}:${PASSWORD}@127.0.0.1:${port + 1}/simplefin`;
    const error = await failureOf<Error>(client.snapshot(elsewhere, { from: new Date(0), to: new Date() }));
    expect(error).toMatchObject({ code: 'PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED' });
    expect(error.message).toContain(`127.0.0.1:${port + 1}`);
    expectNoCredentials(error);
    expect(seen).toEqual([]);
  });

  it('GET /info answers the versions, with the same Basic credentials', async () => {
    handler = (_req, res) => res.writeHead(200).end(JSON.stringify({ versions: ['1.0', 2] }));
    expect(await client.info(accessUrl)).toEqual({ versions: ['1.0'] });
    expect(new URL(seen[0].url, 'http://x').pathname).toBe('/simplefin/info');
  });
});
