import { QueryFailedError } from 'typeorm';

/**
 * What a log may say about a failed statement: its SQLSTATE and which statement it was (verb and table).
 * Never its parameters (password hashes, ciphertexts, emails), never the server's message (PostgreSQL
 * quotes the offending value: `invalid input syntax for type uuid: "…"`).
 */
export interface QueryFailure {
  type: 'QueryFailedError';
  sqlstate: string | null;
  statement: string;
  constraint: string | null;
}

const STATEMENT =
  /^\s*(?:WITH\b[\s\S]*?\)\s*)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM|SELECT\b[\s\S]*?\bFROM|LOCK\s+TABLE)\s+("?[\w.]+"?)/i;

/** `INSERT INTO "security_events"` → `INSERT INTO security_events`; anything else: its first word. */
export function statementName(query: string): string {
  const match = STATEMENT.exec(query);
  if (!match) return (query.trim().split(/\s+/)[0] ?? '').toUpperCase().slice(0, 32);
  const verb = match[1].toUpperCase().startsWith('SELECT')
    ? 'SELECT FROM'
    : match[1].toUpperCase().replace(/\s+/g, ' ');
  return `${verb} ${match[2].replace(/"/g, '')}`;
}

export function describeQueryFailure(error: unknown): QueryFailure | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driver = (error.driverError ?? {}) as { code?: unknown; constraint?: unknown };
  return {
    type: 'QueryFailedError',
    sqlstate: typeof driver.code === 'string' ? driver.code : null,
    statement: statementName(error.query ?? ''),
    constraint: typeof driver.constraint === 'string' ? driver.constraint : null,
  };
}
