import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';

import { type ConnectionStatus, readRows } from '@dashtam/database';

import { AppError } from '../common/errors';
import { offsetOf } from '../common/pagination/page-query.dto';
import type { ListProvidersQueryDto, ProviderSortField } from './dto/list-providers-query.dto';

const UNIQUE_VIOLATION = '23505';
const ALIAS_INDEX = 'uq_providers_user_alias';

/** A live provider with its connection: everything the provider resource shows. */
export interface ProviderView {
  id: string;
  userId: string;
  providerKey: string;
  alias: string;
  createdAt: Date;
  updatedAt: Date;
  connectionId: string;
  status: ConnectionStatus;
  connectedAt: Date | null;
  lastSyncAt: Date | null;
  nextSyncAt: Date | null;
  accountsCount: number;
  errorMessage: string | null;
  connectionUpdatedAt: Date;
}

const VIEW_COLUMNS = `
  p.id, p.user_id AS "userId", p.provider_key AS "providerKey", p.alias,
  p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  c.id AS "connectionId", c.status, c.connected_at AS "connectedAt", c.last_sync_at AS "lastSyncAt",
  c.next_sync_at AS "nextSyncAt", c.accounts_count AS "accountsCount", c.error_message AS "errorMessage",
  c.updated_at AS "connectionUpdatedAt"`;

// Whitelisted ORDER BY expressions; the id breaks ties so pages never overlap.
const SORT_COLUMNS: Record<ProviderSortField, string> = {
  created_at: 'p.created_at',
  updated_at: 'GREATEST(p.updated_at, c.updated_at)',
  alias: 'p.alias',
  provider_key: 'p.provider_key',
  status: 'c.status',
};

/**
 * Every statement on `providers`. Reads join the provider's connection (what the resource shows) and
 * are scoped by owner: another user's provider is simply not found. Soft-deleted providers are
 * invisible here. The connection itself is written only by ProviderConnectionsRepository.
 */
@Injectable()
export class ProvidersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The caller's live provider, or null (unknown, deleted, or someone else's). */
  async findOwned(userId: string, id: string, manager?: EntityManager): Promise<ProviderView | null> {
    const sql = `SELECT ${VIEW_COLUMNS}
         FROM providers p
         JOIN provider_connections c ON c.provider_id = p.id
        WHERE p.id = $1 AND p.user_id = $2 AND p.deleted_at IS NULL`;
    // Every provider route starts here: outside a transaction it goes straight to the pool.
    const rows = manager
      ? ((await manager.query(sql, [id, userId])) as ProviderView[])
      : await readRows<ProviderView>(this.dataSource, sql, [id, userId]);
    return rows[0] ?? null;
  }

  /** As findOwned, taking the provider row lock so a concurrent rename or delete waits. */
  async lockOwned(manager: EntityManager, userId: string, id: string): Promise<ProviderView | null> {
    const rows = (await manager.query(
      `SELECT ${VIEW_COLUMNS}
         FROM providers p
         JOIN provider_connections c ON c.provider_id = p.id
        WHERE p.id = $1 AND p.user_id = $2 AND p.deleted_at IS NULL
          FOR UPDATE OF p`,
      [id, userId],
    )) as ProviderView[];
    return rows[0] ?? null;
  }

  /** One page of the caller's providers, with the total matching the filters. */
  async list(userId: string, query: ListProvidersQueryDto): Promise<{ items: ProviderView[]; total: number }> {
    const conditions = ['p.user_id = $1', 'p.deleted_at IS NULL'];
    const params: unknown[] = [userId];
    if (query.status) {
      params.push(query.status);
      conditions.push(`c.status = $${params.length}`);
    }
    if (query.provider_key) {
      params.push(query.provider_key);
      conditions.push(`p.provider_key = $${params.length}`);
    }
    const where = conditions.join(' AND ');
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const rows = await readRows<ProviderView & { total: string }>(
      this.dataSource,
      `SELECT ${VIEW_COLUMNS}, count(*) OVER () AS "total"
         FROM providers p
         JOIN provider_connections c ON c.provider_id = p.id
        WHERE ${where}
        ORDER BY ${SORT_COLUMNS[query.sort]} ${direction}, p.id ${direction}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.per_page, offsetOf(query)],
    );
    if (rows.length > 0) {
      return { items: rows.map(({ total: _total, ...view }) => view), total: Number(rows[0].total) };
    }
    // Past the last page the window count is not there; ask for it directly.
    const [{ total }] = (await this.dataSource.query(
      `SELECT count(*) AS total FROM providers p JOIN provider_connections c ON c.provider_id = p.id WHERE ${where}`,
      params,
    )) as Array<{ total: string }>;
    return { items: [], total: Number(total) };
  }

  /** The user's live aliases starting with `base`, so a caller can pick a free one (`base (2)`, …). */
  async aliasesStartingWith(manager: EntityManager, userId: string, base: string): Promise<Set<string>> {
    const rows = (await manager.query(
      `SELECT alias FROM providers WHERE user_id = $1 AND deleted_at IS NULL AND left(alias, $3) = $2`,
      [userId, base, base.length],
    )) as Array<{ alias: string }>;
    return new Set(rows.map((row) => row.alias));
  }

  /** Inserts the provider, returning its id; a taken alias is a 409, also under a race. */
  async insert(manager: EntityManager, input: { userId: string; providerKey: string; alias: string }): Promise<string> {
    const [provider] = (await aliasConflictAs409(() =>
      manager.query(`INSERT INTO providers (user_id, provider_key, alias) VALUES ($1, $2, $3) RETURNING id`, [
        input.userId,
        input.providerKey,
        input.alias,
      ]),
    )) as Array<{ id: string }>;
    return provider.id;
  }

  async rename(manager: EntityManager, id: string, alias: string): Promise<void> {
    await aliasConflictAs409(() =>
      manager.query(`UPDATE providers SET alias = $2, updated_at = now() WHERE id = $1`, [id, alias]),
    );
  }

  /** Soft delete: the row (and so the audit trail's subject) stays; the alias is free again. */
  async softDelete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE providers SET deleted_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }
}

async function aliasConflictAs409<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } })
      .driverError;
    if (
      error instanceof QueryFailedError &&
      driverError?.code === UNIQUE_VIOLATION &&
      driverError.constraint === ALIAS_INDEX
    ) {
      throw new AppError('PROVIDER.ALIAS_TAKEN', 'You already have a provider with this alias', { cause: error });
    }
    throw error;
  }
}
