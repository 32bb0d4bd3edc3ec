import { ServiceError } from '../errors/service.error';
import { paramReader } from '../oauth/param-reader';
import { HISTORY_MS, TRANSACTION_TYPES, type TransactionType } from './data/transaction.generator';
import { parseQueryTime } from './data/schwab-time';

export interface TransactionQuery {
  start: number;
  end: number;
  types: ReadonlySet<TransactionType>;
  symbol: string | undefined;
}

const DAY_MS = 86_400_000;

/** startDate, endDate and types are required, as in Schwab's API; the range is at most one year. */
export function parseTransactionQuery(query: unknown): TransactionQuery {
  const params = paramReader(query, (message) => ServiceError.badRequest(message));
  const startRaw = params.required('startDate');
  const endRaw = params.required('endDate');
  const start = parseQueryTime(startRaw);
  const end = parseQueryTime(endRaw);
  if (start === undefined) throw ServiceError.badRequest("startDate must be yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  if (end === undefined) throw ServiceError.badRequest("endDate must be yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  if (end < start) throw ServiceError.badRequest('endDate must not be before startDate');
  // A leap year's worth is still "one year".
  if (end - start > HISTORY_MS + DAY_MS) throw ServiceError.badRequest('The date range must not exceed one year');

  const types = new Set<TransactionType>();
  for (const raw of params.required('types').split(',')) {
    const type = raw.trim() as TransactionType;
    if (!TRANSACTION_TYPES.includes(type)) throw ServiceError.badRequest(`Unknown transaction type: ${raw.trim()}`);
    types.add(type);
  }
  return { start, end, types, symbol: params.optional('symbol') };
}
