import type { Instrument } from './instruments';
import { scaleCents } from './money';
import { SeededRandom } from './seeded-random';

export const DAY_MS = 86_400_000;

/** UTC day number of an instant (days since 1970-01-01). */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

export interface Quote {
  priceCents: number;
  previousCloseCents: number;
}

/**
 * A security's closing price on a UTC day: a per-seed level, a slow seasonal swing and a little daily
 * noise, so balances move from day to day while every value stays a pure function of (seed, symbol,
 * day). Money-market funds hold $1.00; bonds (percent of par) barely move.
 */
export function closeOn(seed: string, instrument: Instrument, day: number): number {
  if (instrument.assetType === 'CASH_EQUIVALENT') return 100;
  const shape = new SeededRandom(seed, 'quote', instrument.symbol);
  const level = 0.9 + shape.next() * 0.2;
  const period = 90 + shape.int(0, 180);
  const phase = shape.next() * 2 * Math.PI;
  const bond = instrument.assetType === 'FIXED_INCOME';
  const amplitude = bond ? 0.01 : 0.04 + shape.next() * 0.08;
  const noise = new SeededRandom(seed, 'quote', instrument.symbol, day).next() - 0.5;
  const factor =
    level * (1 + amplitude * Math.sin((2 * Math.PI * day) / period + phase) + (bond ? 0.002 : 0.02) * noise);
  return Math.max(1, scaleCents(instrument.basePriceCents, factor));
}

/** Today's price and yesterday's close for a security, as of a UTC day. */
export function quoteOn(seed: string, instrument: Instrument, day: number): Quote {
  return { priceCents: closeOn(seed, instrument, day), previousCloseCents: closeOn(seed, instrument, day - 1) };
}
