import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

import { statementName } from './query-errors';

/**
 * TypeORM's own loggers print failed statements with their bound parameters — password hashes,
 * ciphertexts, emails. This one names the statement (verb and table) and its SQLSTATE, never a parameter.
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Successful statements are not logged: too verbose, and their parameters are data.
  }

  // PostgreSQL's message can quote the offending value; the SQLSTATE says what failed without it.
  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
    this.logger.error(
      `query failed (SQLSTATE ${typeof code === 'string' ? code : 'unknown'}): ${statementName(query)}`,
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${statementName(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
