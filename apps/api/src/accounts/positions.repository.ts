import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { ProviderPosition } from '@dashtam/providers';

import { POSITION_VIEW_COLUMNS, type PositionView } from './account.views';

/** The one owner of `positions` statements: the sync's writes and the read API's queries. */
@Injectable()
export class PositionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ── Reads (the read API) ──────────────────────────────────────────────────────────────────────

  /** An account's current holdings (sold ones are inactive), by symbol. The caller checked ownership. */
  async listActive(accountId: string): Promise<PositionView[]> {
    return (await this.dataSource.query(
      `SELECT ${POSITION_VIEW_COLUMNS}
         FROM positions p
        WHERE p.account_id = $1 AND p.is_active
        ORDER BY p.symbol, p.id`,
      [accountId],
    )) as PositionView[];
  }

  // ── Writes (the sync) ─────────────────────────────────────────────────────────────────────────

  /**
   * Upserts the holdings one sync saw, in one statement keyed by (account_id, provider_position_id).
   * `as_of` moves every time; a position counts as `updated` only when another column changed. Every
   * position seen is active again. Returns how many were created, updated and unchanged.
   */
  async upsertForSync(
    manager: EntityManager,
    rows: PositionWrite[],
  ): Promise<{ created: number; updated: number; unchanged: number }> {
    const tally = { created: 0, updated: 0, unchanged: 0 };
    if (rows.length === 0) return tally;
    const outcomes = (await manager.query(
      `INSERT INTO positions AS p (account_id, provider_position_id, symbol, description, asset_type, raw_asset_type,
                                  quantity, average_price, market_value, cost_basis, as_of, is_active)
       SELECT i.*, true
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[],
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::timestamptz[])
              AS i(account_id, provider_position_id, symbol, description, asset_type, raw_asset_type, quantity,
                   average_price, market_value, cost_basis, as_of)
       ON CONFLICT (account_id, provider_position_id) DO UPDATE SET
         symbol = EXCLUDED.symbol, description = EXCLUDED.description, asset_type = EXCLUDED.asset_type,
         raw_asset_type = EXCLUDED.raw_asset_type, quantity = EXCLUDED.quantity,
         average_price = EXCLUDED.average_price, market_value = EXCLUDED.market_value,
         cost_basis = EXCLUDED.cost_basis, as_of = EXCLUDED.as_of, is_active = true,
         updated_at = CASE WHEN ${POSITION_FINGERPRINT('p')} IS DISTINCT FROM ${POSITION_FINGERPRINT('EXCLUDED')}
                           THEN now() ELSE p.updated_at END
       RETURNING CASE WHEN p.xmax = 0 THEN 'created' WHEN p.updated_at = now() THEN 'updated' ELSE 'unchanged' END
                   AS outcome`,
      [
        rows.map((r) => r.accountId),
        rows.map((r) => r.providerPositionId),
        rows.map((r) => r.symbol),
        rows.map((r) => r.description),
        rows.map((r) => r.assetType),
        rows.map((r) => r.rawAssetType),
        rows.map((r) => r.quantity),
        rows.map((r) => r.averagePrice),
        rows.map((r) => r.marketValue),
        rows.map((r) => r.costBasis),
        rows.map((r) => r.asOf),
      ],
    )) as Array<{ outcome: keyof typeof tally }>;
    for (const { outcome } of outcomes) tally[outcome] += 1;
    return tally;
  }

  /**
   * Positions of `accountIds` the institution no longer reports (sold, transferred out): inactive, never
   * deleted. `reported` lists the ones it does report. Returns how many were deactivated.
   */
  async deactivateMissing(
    manager: EntityManager,
    accountIds: string[],
    reported: Array<{ accountId: string; providerPositionId: string }>,
  ): Promise<number> {
    if (accountIds.length === 0) return 0;
    const [, count] = (await manager.query(
      `UPDATE positions p SET is_active = false, updated_at = now()
        WHERE p.account_id = ANY($1::uuid[]) AND p.is_active
          AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[]) AS r(account_id, provider_position_id)
                           WHERE r.account_id = p.account_id AND r.provider_position_id = p.provider_position_id)`,
      [accountIds, reported.map((r) => r.accountId), reported.map((r) => r.providerPositionId)],
    )) as [unknown[], number];
    return count;
  }
}

// What a person sees of a holding, apart from when it was read.
const POSITION_FINGERPRINT = (alias: string): string =>
  `(${[
    'symbol',
    'description',
    'asset_type',
    'raw_asset_type',
    'quantity',
    'average_price',
    'market_value',
    'cost_basis',
  ]
    .map((column) => `${alias}.${column}`)
    .join(', ')}, ${alias === 'p' ? 'p.is_active' : 'true'})`;

/** One holding as a sync writes it: the mapper's position, placed in its account at the snapshot's time. */
export type PositionWrite = ProviderPosition & { accountId: string; asOf: Date };
