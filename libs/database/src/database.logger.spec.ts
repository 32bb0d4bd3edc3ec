import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

import { DatabaseLogger } from './database.logger';

describe('DatabaseLogger', () => {
  it('logs a failed statement without its parameters', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const logger: TypeOrmLogger = new DatabaseLogger();
    const failure = Object.assign(new Error('duplicate key value (email)=(alice@example.com)'), { code: '23505' });
    logger.logQueryError(failure, 'INSERT INTO "users" ("email") VALUES ($1)', ['alice@example.com']);
    expect(error).toHaveBeenCalledTimes(1);
    const line = String(error.mock.calls[0][0]);
    expect(line).toBe('query failed (SQLSTATE 23505): INSERT INTO users');
    expect(line).not.toContain('alice@example.com');
    error.mockRestore();
  });
});
