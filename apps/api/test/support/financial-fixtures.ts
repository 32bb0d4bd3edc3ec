import { randomBytes, randomUUID } from 'node:crypto';

import type { ProvidersApi, TestApp } from '@dashtam/testing';

// Financial rows seeded straight into PostgreSQL, as a sync would have left them: the read API's suites
// test reading, not syncing, so they control every value (nulls, scales, dates, ids) exactly.

type Row = Record<string, unknown>;

/** A user's provider (created through the api) and its connection: what an account hangs from. */
export interface Owner {
  userId: string;
  providerId: string;
  connectionId: string;
}

export async function createOwner(t: TestApp, providers: ProvidersApi, userId: string, alias: string): Promise<Owner> {
  const provider = await providers.created(alias);
  const [connection] = (await t.dataSource.query(`SELECT id FROM provider_connections WHERE provider_id = $1`, [
    provider.id,
  ])) as Array<{ id: string }>;
  return { userId, providerId: provider.id, connectionId: connection.id };
}

/** Inserts rows into `table` in one statement, returning their ids in order. */
export async function insertRows(t: TestApp, table: string, rows: Row[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      params.push(row[column]);
      return `$${params.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const inserted = (await t.dataSource.query(
    `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')} RETURNING id`,
    params,
  )) as Array<{ id: string }>;
  return inserted.map((row) => row.id);
}

export async function insertAccount(t: TestApp, owner: Owner, fields: Row = {}): Promise<string> {
  const [id] = await insertRows(t, 'accounts', [
    {
      connection_id: owner.connectionId,
      provider_id: owner.providerId,
      user_id: owner.userId,
      provider_account_id: randomBytes(16).toString('hex'),
      mask: '1234',
      name: 'Individual Brokerage',
      account_type: 'individual',
      currency: 'USD',
      current_balance: '0',
      available_balance: null,
      balance_as_of: null,
      is_active: true,
      last_synced_at: null,
      ...fields,
    },
  ]);
  return id;
}

export async function insertPositions(t: TestApp, accountId: string, positions: Row[]): Promise<string[]> {
  return insertRows(
    t,
    'positions',
    positions.map((fields) => ({
      account_id: accountId,
      provider_position_id: randomUUID(),
      symbol: 'AAPL',
      description: null,
      asset_type: 'equity',
      raw_asset_type: 'EQUITY',
      quantity: '1',
      average_price: null,
      market_value: null,
      cost_basis: null,
      as_of: new Date('2026-03-02T21:00:00Z'),
      is_active: true,
      ...fields,
    })),
  );
}

export async function insertSnapshots(t: TestApp, accountId: string, snapshots: Row[]): Promise<string[]> {
  return insertRows(
    t,
    'balance_snapshots',
    snapshots.map((fields) => ({
      account_id: accountId,
      balance: null,
      available_balance: null,
      holdings_value: null,
      cash_value: null,
      ...fields,
    })),
  );
}

/** Transactions of one account; `id` may be given to place a row exactly in the keyset order. */
export async function insertTransactions(
  t: TestApp,
  owner: { userId: string },
  accountId: string,
  transactions: Row[],
): Promise<string[]> {
  return insertRows(
    t,
    'transactions',
    transactions.map((fields) => ({
      id: randomUUID(),
      account_id: accountId,
      user_id: owner.userId,
      provider_transaction_id: randomBytes(8).toString('hex'),
      date: '2026-01-15',
      settlement_date: null,
      description: null,
      type: 'other',
      raw_type: 'MEMORANDUM',
      status: 'posted',
      amount: '0',
      currency: 'USD',
      symbol: null,
      quantity: null,
      price: null,
      fees: '0',
      ...fields,
    })),
  );
}

/**
 * The n-th UUID of a sequence that sorts below (`low`: decreasing with n) or above (`high`: increasing)
 * every random v4 UUID, so a test can place rows of one date exactly before or after a keyset cursor.
 */
export function orderedUuid(end: 'low' | 'high', n: number): string {
  const digits = String(end === 'low' ? 999_999_999_999 - n : n).padStart(12, '0');
  return end === 'low' ? `00000000-0000-4000-8000-${digits}` : `ffffffff-ffff-4fff-bfff-${digits}`;
}

/** An exact decimal string as an integer count of 10^-scale units: sums of these are exact. */
export function units(value: string, scale = 4): bigint {
  const match = /^(-?)(\d+)\.(\d+)$/.exec(value);
  if (!match || match[3].length !== scale) throw new Error(`${value} is not a decimal with ${scale} decimals`);
  const magnitude = BigInt(match[2] + match[3]);
  return match[1] === '-' ? -magnitude : magnitude;
}
