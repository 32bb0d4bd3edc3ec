import { registerDecorator, type ValidationOptions } from 'class-validator';

import { AppError } from '../errors';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A real calendar date written `YYYY-MM-DD` (years 0001–9999, which PostgreSQL's `date` reads): a
 * non-date such as `2024-02-30` is refused here rather than failing, or rolling over, in the database.
 */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1) return false;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Validates a query or body field as a calendar date `YYYY-MM-DD` (see isCalendarDate). */
export const IsCalendarDate =
  (options: ValidationOptions = {}): PropertyDecorator =>
  (target: object, propertyName: string | symbol): void =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });

/** `from` after `to` is an empty range asked for by mistake: a 400 naming `from`, not an empty answer. */
export function assertDateRange(from: string | undefined, to: string | undefined): void {
  // Same-length YYYY-MM-DD strings order like the dates they name.
  if (from !== undefined && to !== undefined && from > to) {
    throw new AppError('VALIDATION.FAILED', 'The request has invalid fields', {
      errors: [{ field: 'from', message: 'from must not be after to', code: 'from_after_to' }],
    });
  }
}
