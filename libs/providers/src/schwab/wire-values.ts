/**
 * Readers for the institution's JSON that never throw: each one returns what is sound or null.
 * Every value the mappers emit passes through one of these, so nothing they produce can make a
 * PostgreSQL write fail (NUL bytes, unpaired surrogates in jsonb, oversized numbers or strings).
 */

import { fitsNumeric, toDecimal } from '../decimal';

/** Widths of the financial tables' columns the mapped values land in. */
export const LIMITS = {
  accountName: 200,
  providerId: 128,
  positionId: 160,
  symbol: 64,
  rawType: 64,
  label: 200,
  description: 1000,
} as const;

// Control characters: PostgreSQL refuses NUL in text and jsonb, the rest has no place in a label.
const CONTROL = /\p{Cc}/gu;
// In a `u` regex paired surrogates read as one code point, so only lone (ill-formed) ones match;
// jsonb refuses them.
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * A JSON object, seen through one of the wire interfaces (schwab.types.ts). Sound because their fields
 * are all optional and `unknown`: the type names the fields, every read still checks the value.
 */
export function record<T extends object = Record<string, unknown>>(value: unknown): T | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : null;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function clean(value: string): string {
  return value.replace(CONTROL, ' ').replace(LONE_SURROGATE, '\ufffd').trim();
}

/**
 * At most `length` characters of `value` from its first visible one: a bound on the work a hostile
 * string can cause that padding cannot push the content out of.
 */
export function visiblePrefix(value: string, length: number): string {
  const start = value.search(/[^\s\p{Cc}]/u);
  return start < 0 ? '' : value.slice(start, start + length);
}

/** Display text, cut to `max` characters (never inside a surrogate pair); null when empty. */
export function label(value: unknown, max: number = LIMITS.label): string | null {
  if (typeof value !== 'string') return null;
  const text = clean(visiblePrefix(value, max * 2));
  if (text === '') return null;
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : text;
}

/**
 * An identifier (ids, hashes, symbols): a non-empty string of at most `max` characters, or an
 * integer JSON number. Never cut — a shortened id would name something else — so too long is null.
 */
export function identifier(value: unknown, max: number = LIMITS.providerId): string | null {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return null;
    const text = BigInt(value).toString();
    return text.length <= max ? text : null;
  }
  if (typeof value !== 'string') return null;
  const text = clean(value);
  return text !== '' && text.length <= max ? text : null;
}

/** An upper-case code such as `TRADE` or `EQUITY`, for table look-ups (the raw value is kept as sent). */
export function code(value: string | null): string {
  return value === null ? '' : value.toUpperCase();
}

/** Money as a decimal string that fits `numeric(19,4)`; null otherwise. */
export function money(value: unknown): string | null {
  const decimal = toDecimal(value);
  return decimal !== null && fitsNumeric(decimal, 19, 4) ? decimal : null;
}

/** A quantity or price as a decimal string that fits `numeric(19,8)`; null otherwise. */
export function quantity(value: unknown): string | null {
  const decimal = toDecimal(value);
  return decimal !== null && fitsNumeric(decimal, 19, 8) ? decimal : null;
}

/** A table look-up that only sees the table's own keys (a hostile `constructor` finds nothing). */
export function lookup<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function flag(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

// Schwab writes `2024-06-13T18:09:26+0000`; ISO 8601 forms (`Z`, `+00:00`, fractions, date only) pass too.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
// Schwab is a US broker: its trade and settlement dates are New York calendar days.
const MARKET_DAY = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar date (`YYYY-MM-DD`) a Schwab timestamp names. A date alone, or a midnight in its own
 * offset (how dates are sent as date-times), is that date as written; any other instant is the New
 * York date it falls on, so an after-hours trade at 20:30 ET (01:30 UTC) keeps its trade date.
 */
export function calendarDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const match = DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '00', offset] = match;
  const written = `${year}-${month}-${day}`;
  const check = new Date(`${written}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== written) return null;
  if (Number(year) < 1900 || Number(year) > 2999) return null;
  if (hour === undefined || offset === undefined) return written;
  if (hour === '00' && minute === '00' && second === '00') return written;
  const iso = `${written}T${hour}:${minute}:${second}${offset.toUpperCase() === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')}`;
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return null;
  const parts = Object.fromEntries(MARKET_DAY.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}
