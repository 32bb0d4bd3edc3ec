import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';
import { buildDataSourceOptions, truncateAllTables } from '@dashtam/database';
import { type ExpiringToken, ProviderConnectionsRepository } from '@dashtam/providers';

/**
 * The proactive refresh's scan on real PostgreSQL. Its keyset pages must never repeat or skip a row,
 * including when many tokens share one expiry with microsecond precision (a bulk import, an SQL fix-up),
 * which a JavaScript Date cannot carry.
 */
describe('ProviderConnectionsRepository.expiringTokenBatches (PostgreSQL)', () => {
  let dataSource: DataSource;
  let connections: ProviderConnectionsRepository;
  let userId: string;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(getConfig().database)).initialize();
    await truncateAllTables(dataSource);
    connections = new ProviderConnectionsRepository(dataSource);
    [{ id: userId }] = (await dataSource.query(
      `INSERT INTO users (email, name, password_hash) VALUES ('finder@example.test', 'Finder', 'x') RETURNING id`,
    )) as [{ id: string }];
  });
  afterAll(async () => {
    await truncateAllTables(dataSource);
    await dataSource.destroy();
  });

  /** `count` connections, one statement per table: their tokens share one expiry, 789 µs past a millisecond. */
  async function seed(
    count: number,
    row: { expiresIn: string; status?: string; refreshToken?: boolean; deleted?: boolean },
  ): Promise<string[]> {
    const providers = Array.from({ length: count }, () => randomUUID());
    const connections = Array.from({ length: count }, () => randomUUID());
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO providers (id, user_id, provider_key, alias, deleted_at)
         SELECT id, $1, 'sandbox', 'Finder ' || id, CASE WHEN $3 THEN now() END FROM unnest($2::uuid[]) AS t(id)`,
        [userId, providers, row.deleted ?? false],
      );
      await manager.query(
        `INSERT INTO provider_connections (id, provider_id, status)
         SELECT c, p, $3 FROM unnest($1::uuid[], $2::uuid[]) AS t(c, p)`,
        [connections, providers, row.status ?? 'active'],
      );
      await manager.query(
        `INSERT INTO provider_tokens (connection_id, access_token_encrypted, refresh_token_encrypted, expires_at, key_id)
         SELECT c, 'not-a-token', CASE WHEN $2 THEN 'not-a-token' END,
                date_trunc('milliseconds', now()) + interval '789 microseconds' + $3::interval, 'k'
           FROM unnest($1::uuid[]) AS t(c)`,
        [connections, row.refreshToken ?? true, row.expiresIn],
      );
    });
    return connections;
  }

  async function collect(horizon: Date, batchSize: number): Promise<ExpiringToken[][]> {
    const pages: ExpiringToken[][] = [];
    for await (const page of connections.expiringTokenBatches(horizon, batchSize)) {
      pages.push(page);
      // A cursor that does not advance would page forever; fail instead of hanging.
      if (pages.length > 20) break;
    }
    return pages;
  }

  it('pages through tokens sharing one microsecond expiry exactly once each, soonest first', async () => {
    const sameInstant = await seed(7, { expiresIn: '-1 minute' });
    const later = await seed(2, { expiresIn: '2 minutes' });
    const [{ micros }] = (await dataSource.query(
      `SELECT DISTINCT extract(microseconds FROM expires_at)::int % 1000 AS micros FROM provider_tokens
        WHERE connection_id = ANY($1::uuid[])`,
      [sameInstant],
    )) as [{ micros: number }];
    // The premise: one shared expiry, with sub-millisecond digits a Date drops.
    expect(micros).toBe(789);

    const pages = await collect(new Date(Date.now() + 5 * 60_000), 3);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 3]);
    const ids = pages.flat().map((token) => token.connectionId);
    expect(new Set(ids).size).toBe(9);
    expect(ids.slice(0, 7).sort()).toEqual([...sameInstant].sort());
    expect(ids.slice(7).sort()).toEqual([...later].sort());
    expect(pages.flat().every((token) => token.expiresAt instanceof Date)).toBe(true);
  });

  it('leaves out what a refresh cannot help: past the horizon, no refresh token, not in use, deleted provider', async () => {
    await truncateAllTables(dataSource);
    [{ id: userId }] = (await dataSource.query(
      `INSERT INTO users (email, name, password_hash) VALUES ('finder@example.test', 'Finder', 'x') RETURNING id`,
    )) as [{ id: string }];
    const due = [
      ...(await seed(1, { expiresIn: '1 minute' })),
      ...(await seed(1, { expiresIn: '-1 day', status: 'error' })),
    ];
    await seed(1, { expiresIn: '1 hour' });
    await seed(1, { expiresIn: '1 minute', refreshToken: false });
    await seed(1, { expiresIn: '1 minute', status: 'requires_reauth' });
    await seed(1, { expiresIn: '1 minute', status: 'disconnected' });
    await seed(1, { expiresIn: '1 minute', deleted: true });

    const pages = await collect(new Date(Date.now() + 5 * 60_000), 500);
    expect(
      pages
        .flat()
        .map((token) => token.connectionId)
        .sort(),
    ).toEqual(due.sort());
  });
});
