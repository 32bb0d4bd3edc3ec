import { QueryFailedError } from 'typeorm';

import { describeForLog } from './problem-details.filter';

describe('describeForLog', () => {
  it('logs a failed statement as SQLSTATE and statement name, never its parameters or message', () => {
    const driverError = Object.assign(new Error('value too long: "Ada Lovelace"'), { code: '22001' });
    const error = new QueryFailedError(
      'INSERT INTO "users"("email", "name", "password_hash") VALUES ($1, $2, $3)',
      ['ada@example.com', 'Ada Lovelace', '$argon2id$v=19$m=4096$hash'],
      driverError,
    );
    const logged = JSON.stringify(describeForLog(error));
    expect(JSON.parse(logged)).toEqual({
      type: 'QueryFailedError',
      sqlstate: '22001',
      statement: 'INSERT INTO users',
      constraint: null,
    });
    expect(logged).not.toMatch(/ada@example|Ada Lovelace|argon2id/);
  });

  it('logs other errors by class, message, code and stack, without their other properties', () => {
    const error = Object.assign(new TypeError('boom'), { code: 'E_X', parameters: ['secret-value'] });
    const logged = describeForLog(error);
    expect(logged).toMatchObject({ type: 'TypeError', message: 'boom', code: 'E_X' });
    expect(JSON.stringify(logged)).not.toContain('secret-value');
  });
});
