import { paramReader } from '../oauth/param-reader';
import { AlpacaError } from './alpaca.error';
import {
  ALPACA_ACTIVITY_TYPES,
  type AlpacaActivityType,
  type GeneratedActivity,
} from './data/alpaca-activity.generator';

export const ALPACA_MAX_PAGE_SIZE = 100;

/** `GET /v2/account/activities[/{activity_type}]` query, as Alpaca documents it. */
export interface AlpacaActivityQuery {
  /** undefined: every type. */
  types: ReadonlySet<string> | undefined;
  category: 'trade_activity' | 'non_trade_activity' | undefined;
  /** New York calendar date; excludes after/until. */
  date: string | undefined;
  /** Exclusive lower bound (epoch ms). */
  after: number | undefined;
  /** Exclusive upper bound (epoch ms). */
  until: number | undefined;
  direction: 'asc' | 'desc';
  pageSize: number;
  /** The id of the last activity of the previous page. */
  pageToken: string | undefined;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TYPES = new Set<string>(ALPACA_ACTIVITY_TYPES);

/**
 * Parses the query; `pathType` is the `{activity_type}` path segment when present. Bad values answer
 * 422 with Alpaca's body, like the real API.
 */
export function parseActivityQuery(raw: unknown, pathType?: string): AlpacaActivityQuery {
  const params = paramReader(raw, (message) => AlpacaError.unprocessable(message));
  const types = pathType !== undefined ? [pathType] : params.optional('activity_types')?.split(',');
  for (const type of types ?? []) {
    if (!TYPES.has(type)) throw AlpacaError.unprocessable(`invalid activity type: ${type.slice(0, 16)}`);
  }
  const category = params.optional('category');
  if (category !== undefined && category !== 'trade_activity' && category !== 'non_trade_activity') {
    throw AlpacaError.unprocessable('category must be trade_activity or non_trade_activity');
  }
  if (category !== undefined && types !== undefined) {
    throw AlpacaError.unprocessable('category cannot be used with activity_types');
  }
  const date = params.optional('date');
  if (date !== undefined && (!DATE_ONLY.test(date) || Number.isNaN(Date.parse(date)))) {
    throw AlpacaError.unprocessable('date must be YYYY-MM-DD');
  }
  const after = instant(params.optional('after'), 'after');
  const until = instant(params.optional('until'), 'until');
  if (date !== undefined && (after !== undefined || until !== undefined)) {
    throw AlpacaError.unprocessable('date cannot be used with after or until');
  }
  const direction = params.optional('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') throw AlpacaError.unprocessable('direction must be asc or desc');
  const size = params.optional('page_size');
  const pageSize = size === undefined ? ALPACA_MAX_PAGE_SIZE : Number(size);
  if (!/^\d{1,4}$/.test(size ?? '100') || pageSize < 1 || pageSize > ALPACA_MAX_PAGE_SIZE) {
    throw AlpacaError.unprocessable(`page_size must be between 1 and ${ALPACA_MAX_PAGE_SIZE}`);
  }
  return {
    types: types && new Set(types),
    category,
    date,
    after,
    until,
    direction,
    pageSize,
    pageToken: params.optional('page_token'),
  };
}

/** RFC 3339 date-time, or a date (its UTC midnight). */
function instant(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw AlpacaError.unprocessable(`${name} must be an RFC 3339 timestamp or a date`);
  }
  return ms;
}

/** One page: filtered, in `direction` order, strictly past `page_token` (ids sort by time). */
export function activityPage(all: GeneratedActivity[], query: AlpacaActivityQuery): Record<string, unknown>[] {
  const matching = all.filter((a) => {
    if (query.types && !query.types.has(a.type)) return false;
    if (query.category === 'trade_activity' && a.type !== 'FILL') return false;
    if (query.category === 'non_trade_activity' && a.type === 'FILL') return false;
    if (query.date !== undefined && a.date !== query.date) return false;
    if (query.after !== undefined && a.timeMs <= query.after) return false;
    return query.until === undefined || a.timeMs < query.until;
  });
  const ordered = [...matching].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (query.direction === 'desc') ordered.reverse();
  const token = query.pageToken;
  const rest =
    token === undefined ? ordered : ordered.filter((a) => (query.direction === 'asc' ? a.id > token : a.id < token));
  return rest.slice(0, query.pageSize).map((a) => a.json as Record<string, unknown>);
}

export type { AlpacaActivityType };
