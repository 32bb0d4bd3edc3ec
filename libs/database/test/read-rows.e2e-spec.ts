import { DataSource, QueryFailedError } from 'typeorm';

import { getConfig } from '@dashtam/config';

import { buildDataSourceOptions, readRows } from '../src';

describe('readRows (hot reads straight on the pool)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(getConfig().database)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  it('answers the rows dataSource.query answers, with the same types', async () => {
    const sql = `SELECT $1::int AS n, now() AS at, 'x' AS text, NULL::text AS nothing, $2::numeric(19,4) AS money`;
    const parameters = [7, '12.5'];
    const viaRunner = (await dataSource.query(sql, parameters)) as Array<Record<string, unknown>>;
    const direct = await readRows<Record<string, unknown>>(dataSource, sql, parameters);
    expect(direct).toHaveLength(1);
    expect(Object.keys(direct[0])).toEqual(Object.keys(viaRunner[0]));
    expect(direct[0]).toMatchObject({ n: 7, text: 'x', nothing: null, money: '12.5000' });
    expect(direct[0].at).toBeInstanceOf(Date);
  });

  it('fails as dataSource.query does: a QueryFailedError carrying the driver error', async () => {
    const failure = await readRows(dataSource, 'SELECT * FROM no_such_table').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('42P01');
  });
});
