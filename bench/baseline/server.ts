// The bench's baseline: the practical ceiling of Node on this machine for the api's read requests. A bare
// node:http server with a pg pool that answers the bench's requests exactly as the api does (same SQL, same
// JSON, same HS256 verification of the same claims), and nothing else: no framework, no logging, no
// security headers, no session check. The harness checks that both answer each scenario identically.
//
// Run by the harness with plain node (no TypeScript loader: Node strips the types) and an IPC channel: it
// receives its settings as one message, so no secret travels on a command line, and answers with its port.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { Pool } from 'pg';

import {
  LIST_PROVIDERS,
  OWNED_PROVIDER,
  PORTFOLIO_SUMMARY,
  TOKEN_STATUS,
  TRANSACTIONS_FIRST_PAGE,
  type BaselineSettings,
} from './queries';

const ISSUER = 'dashtam';
const AUDIENCE = 'dashtam-api';
const PER_PAGE = 50;
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_STATUS_PATH = /^\/api\/v1\/providers\/([^/]+)\/authorization$/;
const TRANSACTIONS_LIMIT = /^limit=(\d{1,3})$/;
// apps/api/src/transactions/transaction-cursor.codec.ts: the cursor's key, layout and MAC.
const CURSOR_KEY_INFO = 'dashtam/transactions-cursor/v1';
const CURSOR_VERSION = 1;
const CURSOR_MAC_BYTES = 16;

type Row = Record<string, unknown>;

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

/** HS256 verification with the api's claims (issuer, audience, expiry, subject and session): the user id, or null. */
function verifiedSubject(authorization: string | undefined, key: Buffer): string | null {
  const match = BEARER.exec(authorization ?? '');
  if (!match) return null;
  const [header, payload, signature] = match[1].split('.');
  if (!header || !payload || !signature) return null;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Row;
    const now = Math.floor(Date.now() / 1000);
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (alg !== 'HS256' || claims.iss !== ISSUER || !audience.includes(AUDIENCE)) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
    if (typeof claims.nbf === 'number' && claims.nbf > now) return null;
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
    return claims.sub;
  } catch {
    return null;
  }
}

function providerResponse(row: Row): Row {
  const updatedAt =
    (row.connectionUpdatedAt as Date) > (row.updatedAt as Date) ? row.connectionUpdatedAt : row.updatedAt;
  return {
    id: row.id,
    provider_key: row.providerKey,
    alias: row.alias,
    status: row.status,
    is_connected: row.status === 'active' || row.status === 'error',
    needs_reconnection: row.status === 'requires_reauth',
    connected_at: iso(row.connectedAt),
    last_sync_at: iso(row.lastSyncAt),
    next_sync_at: iso(row.nextSyncAt),
    accounts_count: row.accountsCount,
    error_message: row.errorMessage,
    created_at: iso(row.createdAt),
    updated_at: iso(updatedAt),
  };
}

async function listProviders(pool: Pool, userId: string): Promise<Row> {
  const { rows } = await pool.query(LIST_PROVIDERS, [userId, PER_PAGE, 0]);
  const total = rows.length > 0 ? Number(rows[0].total) : 0;
  const pages = Math.ceil(total / PER_PAGE);
  return {
    items: rows.map(providerResponse),
    total,
    page: 1,
    per_page: PER_PAGE,
    pages,
    has_next: 1 < pages,
    has_prev: false,
  };
}

async function tokenStatus(pool: Pool, userId: string, providerId: string): Promise<Row | null> {
  if (!UUID.test(providerId)) return null;
  const owned = await pool.query(OWNED_PROVIDER, [providerId, userId]);
  if (owned.rows.length === 0) return null;
  const { rows } = await pool.query(TOKEN_STATUS, [owned.rows[0].connectionId]);
  const row = rows[0];
  if (!row) return null;
  const held = row.hasTokens === true;
  return {
    status: row.status,
    expires_at: held ? iso(row.expiresAt) : null,
    has_refresh_token: held ? row.hasRefreshToken : null,
    scope: held ? row.scope : null,
    last_refreshed_at: held ? iso(row.lastRefreshedAt) : null,
    refresh_count: held ? row.refreshCount : null,
    refresh_token_expires_at: held ? iso(row.refreshTokenExpiresAt) : null,
  };
}

/**
 * The next page's cursor exactly as the api signs it (TransactionCursorCodec.encode): the last row's date
 * and id, MACed with the caller's id and the (here empty) filters, so both servers answer the same bytes.
 */
function nextCursor(cursorKey: Buffer, userId: string, last: Row): string {
  const payload = Buffer.concat([
    Buffer.from([CURSOR_VERSION]),
    Buffer.from(String(last.date), 'ascii'),
    Buffer.from(String(last.id).replace(/-/g, ''), 'hex'),
  ]);
  const scope = JSON.stringify([userId, null, null, null, null, null, null]);
  const mac = createHmac('sha256', cursorKey).update(payload).update(scope, 'utf8').digest();
  return Buffer.concat([payload, mac.subarray(0, CURSOR_MAC_BYTES)]).toString('base64url');
}

async function transactionsPage(pool: Pool, cursorKey: Buffer, userId: string, limit: number): Promise<Row> {
  const { rows } = await pool.query(TRANSACTIONS_FIRST_PAGE, [userId, limit + 1]);
  const items = rows.slice(0, limit);
  return {
    items: items.map((row: Row) => ({
      id: row.id,
      account_id: row.accountId,
      provider_transaction_id: row.providerTransactionId,
      date: row.date,
      settlement_date: row.settlementDate,
      description: row.description,
      type: row.type,
      raw_type: row.rawType,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      symbol: row.symbol,
      quantity: row.quantity,
      price: row.price,
      fees: row.fees,
    })),
    next_cursor: rows.length > limit ? nextCursor(cursorKey, userId, items[items.length - 1]) : null,
  };
}

async function portfolioSummary(pool: Pool, userId: string): Promise<Row> {
  const { rows } = await pool.query(PORTFOLIO_SUMMARY, [userId]);
  const total = rows.find((row: Row) => row.kind === 'total');
  return {
    total_value: total.value,
    cash_value: total.cash,
    holdings_value: total.holdings,
    change_since_previous: total.change,
    as_of: iso(total.asOf),
    accounts: rows
      .filter((row: Row) => row.kind === 'account')
      .map((row: Row) => ({ id: row.key, name: row.name, value: row.value })),
    by_asset_type: rows
      .filter((row: Row) => row.kind === 'asset_type')
      .map((row: Row) => ({ asset_type: row.key, value: row.value })),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

function start(settings: BaselineSettings): void {
  const key = Buffer.from(settings.jwtSecret, 'utf8');
  const cursorKey = Buffer.from(hkdfSync('sha256', settings.jwtSecret, Buffer.alloc(0), CURSOR_KEY_INFO, 32));
  const pool = new Pool({
    connectionString: settings.databaseUrl,
    max: settings.poolMax,
    options: '-c TimeZone=UTC',
    application_name: 'dashtam-bench-baseline',
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const [path, query = ''] = (req.url ?? '/').split('?', 2);
    if (req.method !== 'GET') return send(res, 405, { status: 405 });
    if (path === '/health') return send(res, 200, { status: 'ok' });
    const userId = verifiedSubject(req.headers.authorization, key);
    if (userId === null) return send(res, 401, { status: 401 });
    if (path === '/api/v1/providers') return send(res, 200, await listProviders(pool, userId));
    const tokenStatusOf = TOKEN_STATUS_PATH.exec(path);
    if (tokenStatusOf) {
      const status = await tokenStatus(pool, userId, tokenStatusOf[1]);
      return status ? send(res, 200, status) : send(res, 404, { status: 404 });
    }
    if (path === '/api/v1/transactions') {
      // The bench asks for the first page only (`?limit=N`, no cursor, no filters).
      const limit = TRANSACTIONS_LIMIT.exec(query);
      return limit
        ? send(res, 200, await transactionsPage(pool, cursorKey, userId, Number(limit[1])))
        : send(res, 400, { status: 400 });
    }
    if (path === '/api/v1/portfolio/summary') return send(res, 200, await portfolioSummary(pool, userId));
    send(res, 404, { status: 404 });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { status: 500 });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 72_000;
  server.listen(settings.port, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  });
}

process.once('message', (message: { type?: string; settings?: BaselineSettings }) => {
  if (message.type === 'start' && message.settings) start(message.settings);
});
