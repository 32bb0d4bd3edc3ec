import { ServiceError } from '../errors/service.error';
import { paramReader } from '../oauth/param-reader';
import { parseQueryTime } from './data/schwab-time';
import { MAX_RANGE_MS, TRANSACTION_TYPES, type TransactionType } from './data/transaction.generator';

export interface TransactionQuery {
  start: number;
  end: number;
  types: ReadonlySet<string>;
  /** Every type the Sandbox knows: a fixture transaction of any other type passes the `types` filter. */
  knownTypes: ReadonlySet<string>;
  symbol: string | undefined;
}

const DAY_MS = 86_400_000;
const KNOWN_TYPES: ReadonlySet<string> = new Set(TRANSACTION_TYPES);

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
  if (end - start > MAX_RANGE_MS + DAY_MS) throw ServiceError.badRequest('The date range must not exceed one year');

  const types = new Set<TransactionType>();
  for (const raw of params.required('types').split(',')) {
    const type = raw.trim() as TransactionType;
    if (!KNOWN_TYPES.has(type)) throw ServiceError.badRequest(`Unknown transaction type: ${raw.trim()}`);
    types.add(type);
  }
  return { start, end, types, knownTypes: KNOWN_TYPES, symbol: params.optional('symbol') };
}
