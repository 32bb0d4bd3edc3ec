import { runInNewContext } from 'node:vm';

import { QueryFailedError } from 'typeorm';

import { dependencyOutage } from './dependency-outage';

const queryError = (driver: object): QueryFailedError =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error('driver'), driver));

describe('dependencyOutage', () => {
  it('recognises PostgreSQL being gone, not a wrong statement', () => {
    expect(dependencyOutage(queryError({ code: '57P01' }))).toBe('database');
    expect(dependencyOutage(queryError({ code: '08006' }))).toBe('database');
    expect(dependencyOutage(queryError({ message: 'Connection terminated unexpectedly' }))).toBe('database');
    expect(
      dependencyOutage(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe('database');
    expect(dependencyOutage(queryError({ code: '23505' }))).toBeNull();
    expect(dependencyOutage(queryError({ code: '22P02' }))).toBeNull();
  });

  it('recognises Redis being gone', () => {
    expect(dependencyOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe('redis');
    expect(dependencyOutage(new Error('Command timed out'))).toBe('redis');
    expect(dependencyOutage(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe('redis');
  });

  it("recognises Node's own socket errors from another realm (code run in a vm context, as Jest runs it)", () => {
    const refused = runInNewContext(
      `Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })`,
    ) as unknown;
    expect(refused instanceof Error).toBe(false);
    expect(dependencyOutage(refused)).toBe('database');
    expect(dependencyOutage(runInNewContext(`({ code: 'ECONNREFUSED', message: 'not an error' })`))).toBeNull();
  });

  it('leaves every other error alone', () => {
    expect(dependencyOutage(new TypeError('boom'))).toBeNull();
    expect(dependencyOutage('a string')).toBeNull();
  });
});
