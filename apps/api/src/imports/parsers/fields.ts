import { createHash } from 'node:crypto';

import { fitsNumeric, toDecimal } from '@dashtam/providers';

/**
 * A money or quantity figure as a decimal string, or null when it is not one. `decimal` is the
 * file's decimal separator: the other of `.`/`,` (and spaces, apostrophes) may group thousands.
 * Accounting negatives `(12.50)` and a trailing minus `12.50-` are understood.
 */
export function parseAmount(raw: string, decimal: '.' | ',' = '.'): string | null {
  let text = raw
    .trim()
    .replace(/^[$€£¥]|[$€£¥]$/g, '')
    .trim();
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (text.endsWith('-')) {
    negative = !negative;
    text = text.slice(0, -1).trim();
  }
  const group = decimal === '.' ? /[,\s']/g : /[.\s']/g;
  text = text.replace(/^([+-]?)[$€£¥]/, '$1').replace(group, '');
  if (decimal === ',') text = text.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  const value = toDecimal(text);
  if (value === null || !fitsNumeric(value, 19, 4)) return null;
  return negative && value !== '0' ? (value.startsWith('-') ? value.slice(1) : `-${value}`) : value;
}

/** A calendar date `YYYY-MM-DD` that exists, or null. */
export function calendarDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The key an imported account is matched by: a hash of the institution and the account number, so
 * the full number is never stored (SPEC §4) yet the same account is found again on every import.
 */
export function accountKeyOf(institutionKey: string, accountNumber: string): string {
  const normalised = accountNumber.replace(/[\s-]/g, '').toUpperCase();
  return `imp_${createHash('sha256').update(`${institutionKey}\n${normalised}`).digest('hex')}`;
}

/** The last four digits of an account number, the only part kept; null when it has none. */
export function maskOf(accountNumber: string): string | null {
  const digits = accountNumber.replace(/\D/g, '');
  return digits.length > 0 ? digits.slice(-4) : null;
}

/** A provider transaction id within the column's 128 characters: long ids are hashed. */
export function transactionIdOf(id: string): string {
  return id.length <= 128 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
