import { QueryFailedError } from 'typeorm';

import { describeQueryFailure, statementName } from './query-errors';

describe('query errors in logs', () => {
  it('names a statement by verb and table', () => {
    expect(statementName('INSERT INTO "security_events"("id") VALUES (DEFAULT)')).toBe('INSERT INTO security_events');
    expect(statementName('UPDATE users SET name = $1 WHERE id = $2')).toBe('UPDATE users');
    expect(statementName('DELETE FROM "refresh_tokens" WHERE x')).toBe('DELETE FROM refresh_tokens');
    expect(statementName('SELECT "u"."id" AS "u_id" FROM "users" "u" WHERE email = $1')).toBe('SELECT FROM users');
    expect(statementName('  begin')).toBe('BEGIN');
  });

  it('keeps the SQLSTATE and the statement, never the parameters or the server message', () => {
    const driverError = Object.assign(new Error('invalid input syntax for type uuid: "ada@example.com"'), {
      code: '22P02',
    });
    const error = new QueryFailedError(
      'SELECT * FROM users WHERE id = $1',
      ['$argon2id$v=19$secret-hash'],
      driverError,
    );
    const described = describeQueryFailure(error);
    expect(described).toEqual({
      type: 'QueryFailedError',
      sqlstate: '22P02',
      statement: 'SELECT FROM users',
      constraint: null,
    });
    expect(JSON.stringify(described)).not.toMatch(/argon2id|ada@example/);
    expect(describeQueryFailure(new Error('x'))).toBeNull();
  });
});
