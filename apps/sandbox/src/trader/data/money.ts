/**
 * Money is computed in integer cents and leaves as a JSON number with at most two decimals
 * (Schwab sends numbers). cents / 100 prints as the shortest exact decimal, e.g. 1033.5 or 0.07.
 */
export const amount = (cents: number): number => {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  return cents / 100;
};

/** Quantities are kept in thousandths (fractional fund shares) and leave with at most three decimals. */
export const quantity = (milli: number): number => {
  if (!Number.isSafeInteger(milli)) throw new RangeError(`not a whole number of thousandths: ${milli}`);
  return milli / 1000;
};

/** Percent with two decimals: 1.234 → 1.23. */
export const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;

/** Scales cents by a factor, rounding to a whole cent. */
export const scaleCents = (cents: number, factor: number): number => Math.round(cents * factor);
