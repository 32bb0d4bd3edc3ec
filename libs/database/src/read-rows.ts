import { performance } from 'node:perf_hooks';

import type { Pool } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';

/**
 * One read statement straight on the pool of the DataSource's driver, returning its rows as
 * `dataSource.query` would. The api's hot read paths use it: `dataSource.query` builds a query runner,
 * a broadcaster and a result wrapper for every statement, which on a request of one indexed read cost
 * more than the read (bench/README.md). A failure is TypeORM's QueryFailedError, as from
 * `dataSource.query`, and a slow statement is logged by the DataSource's logger the same way.
 */
export async function readRows<T>(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const started = performance.now();
  try {
    const { rows } = await pool.query(sql, parameters);
    return rows as T[];
  } catch (error) {
    throw new QueryFailedError(sql, parameters, error as Error);
  } finally {
    const took = performance.now() - started;
    const slow = dataSource.options.maxQueryExecutionTime;
    if (slow && took > slow) dataSource.logger.logQuerySlow(took, sql, parameters);
  }
}
