import { createHash } from 'node:crypto';

import type { Instrument } from './instruments';
import { closeOn, DAY_MS } from './quotes';

export type PutCall = 'PUT' | 'CALL';

/** An equity option contract (100 shares), named the way Schwab names them (OCC symbology). */
export interface OptionContract {
  underlying: Instrument;
  putCall: PutCall;
  strikeCents: number;
  /** UTC midnight of the expiration day. */
  expirationMs: number;
  symbol: string;
  cusip: string;
  description: string;
  instrumentId: number;
}

export const OPTION_MULTIPLIER = 100;

/** The third Friday of January: where the long-dated (LEAPS) contracts the Sandbox uses expire. */
function januaryExpiration(year: number): number {
  const firstWeekday = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const firstFriday = 1 + ((5 - firstWeekday + 7) % 7);
  return Date.UTC(year, 0, firstFriday + 14);
}

/**
 * The contract an account holds or trades at `atMs`: it expires in the January two years after that
 * instant's year, so a position rolls to a new contract once a year (on January 1st) and never shows
 * an expired option. The strike is the underlying's base price times `strikeFactor`, rounded to $5.
 */
export function optionContract(
  underlying: Instrument,
  putCall: PutCall,
  strikeFactor: number,
  atMs: number,
): OptionContract {
  const strikeCents = Math.max(500, Math.round((underlying.basePriceCents * strikeFactor) / 500) * 500);
  const expirationMs = januaryExpiration(new Date(atMs).getUTCFullYear() + 2);
  const expiry = new Date(expirationMs);
  const yy = String(expiry.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(expiry.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(expiry.getUTCDate()).padStart(2, '0');
  const flag = putCall === 'CALL' ? 'C' : 'P';
  const strikeDollars = strikeCents / 100;
  const symbol = `${underlying.symbol.padEnd(6)}${yy}${mm}${dd}${flag}${String(strikeCents * 10).padStart(8, '0')}`;
  const digest = createHash('sha256').update(symbol).digest();
  return {
    underlying,
    putCall,
    strikeCents,
    expirationMs,
    symbol,
    cusip: `0${underlying.symbol}.${flag}${yy}${strikeDollars}`,
    description: `${underlying.description} ${mm}/${dd}/${expiry.getUTCFullYear()} $${strikeDollars} ${putCall === 'CALL' ? 'Call' : 'Put'}`,
    instrumentId: 300_000_000 + (digest.readUInt32LE(0) % 100_000_000),
  };
}

/** Premium per share in cents on a UTC day: intrinsic value plus time value shrinking towards expiry. */
export function optionCloseOn(seed: string, contract: OptionContract, day: number): number {
  const spot = closeOn(seed, contract.underlying, day);
  const intrinsic = Math.max(
    0,
    contract.putCall === 'CALL' ? spot - contract.strikeCents : contract.strikeCents - spot,
  );
  const daysLeft = Math.max(0, (contract.expirationMs - day * DAY_MS) / DAY_MS);
  const timeValue = Math.round(spot * 0.07 * Math.sqrt(daysLeft / 365));
  return Math.max(5, intrinsic + timeValue);
}

/** Schwab's option instrument fields (positions and transfer items alike). */
export function optionInstrumentJson(contract: OptionContract): Record<string, unknown> {
  return {
    assetType: 'OPTION',
    cusip: contract.cusip,
    symbol: contract.symbol,
    description: contract.description,
    instrumentId: contract.instrumentId,
    type: 'VANILLA',
    putCall: contract.putCall,
    underlyingSymbol: contract.underlying.symbol,
    strikePrice: contract.strikeCents / 100,
    expirationDate: new Date(contract.expirationMs).toISOString().replace(/\.\d{3}Z$/, '+0000'),
    optionMultiplier: OPTION_MULTIPLIER,
  };
}
