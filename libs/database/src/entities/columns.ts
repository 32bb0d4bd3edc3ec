import type { ColumnOptions } from 'typeorm';

/** Money: numeric(19,4), read back as a decimal string (pg never turns numeric into a JS number). */
export const MONEY = { type: 'numeric', precision: 19, scale: 4 } as const satisfies ColumnOptions;

/** Quantities and unit prices: numeric(19,8) — fractional shares and sub-cent prices keep their digits. */
export const QUANTITY = { type: 'numeric', precision: 19, scale: 8 } as const satisfies ColumnOptions;

/** A CHECK that a varchar column holds one of a fixed list (the list is the TypeScript union's source). */
export function checkIn(column: string, values: readonly string[]): string {
  return `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`;
}
