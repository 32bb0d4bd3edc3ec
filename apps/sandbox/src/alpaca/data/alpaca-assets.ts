import { DAY_MS } from '../../trader/data/quotes';
import { SeededRandom } from '../../trader/data/seeded-random';

export type AlpacaAssetClass = 'us_equity' | 'crypto' | 'us_option';

/** What the Alpaca fake trades. Prices are illustrative, not market data. */
export interface AlpacaAsset {
  symbol: string;
  assetClass: AlpacaAssetClass;
  exchange: string;
  /** Per share (per coin, or per share of an option's premium), in cents. */
  basePriceCents: number;
  paysDividends: boolean;
}

const asset = (
  symbol: string,
  assetClass: AlpacaAssetClass,
  exchange: string,
  basePriceCents: number,
  paysDividends = false,
): AlpacaAsset => ({ symbol, assetClass, exchange, basePriceCents, paysDividends });

export const ALPACA_EQUITIES: readonly AlpacaAsset[] = [
  asset('AAPL', 'us_equity', 'NASDAQ', 19_550, true),
  asset('MSFT', 'us_equity', 'NASDAQ', 41_520, true),
  asset('NVDA', 'us_equity', 'NASDAQ', 12_880, true),
  asset('TSLA', 'us_equity', 'NASDAQ', 25_120),
  asset('SPY', 'us_equity', 'ARCA', 56_410, true),
  asset('QQQ', 'us_equity', 'NASDAQ', 48_150, true),
  asset('KO', 'us_equity', 'NYSE', 6_245, true),
];

export const ALPACA_CRYPTO: readonly AlpacaAsset[] = [
  asset('BTCUSD', 'crypto', 'CRYPTO', 6_125_000),
  asset('ETHUSD', 'crypto', 'CRYPTO', 312_000),
];

// OCC symbols: underlying, expiry YYMMDD, C/P, strike × 1000 on 8 digits. One contract is 100 shares.
export const ALPACA_OPTIONS: readonly AlpacaAsset[] = [
  asset('AAPL270115C00200000', 'us_option', '', 1_815),
  asset('SPY270115P00500000', 'us_option', '', 1_240),
];

export const ALL_ALPACA_ASSETS: readonly AlpacaAsset[] = [...ALPACA_EQUITIES, ...ALPACA_CRYPTO, ...ALPACA_OPTIONS];

export const contractSize = (a: AlpacaAsset): number => (a.assetClass === 'us_option' ? 100 : 1);

/**
 * An asset's price on a UTC day, in cents: a per-seed level, a slow swing and a little daily noise,
 * so values move from day to day while staying a pure function of (seed, symbol, day).
 */
export function alpacaPriceOn(seed: string, a: AlpacaAsset, day: number): number {
  const shape = new SeededRandom(seed, 'alpaca-quote', a.symbol);
  const level = 0.9 + shape.next() * 0.2;
  const period = 60 + shape.int(0, 200);
  const phase = shape.next() * 2 * Math.PI;
  const amplitude = a.assetClass === 'crypto' ? 0.2 : a.assetClass === 'us_option' ? 0.3 : 0.08;
  const noise = new SeededRandom(seed, 'alpaca-quote', a.symbol, day).next() - 0.5;
  const factor = level * (1 + amplitude * Math.sin((2 * Math.PI * day) / period + phase) + 0.02 * noise);
  return Math.max(1, Math.round(a.basePriceCents * factor));
}

export const alpacaDayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** A decimal string without float noise: `value` rounded to `places`, trailing zeros dropped ("600", "0.5"). */
export function decimalText(value: number, places: number): string {
  const fixed = value.toFixed(places);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A UUID-shaped id drawn from a seeded generator, so generated ids are stable. */
export function seededUuid(rng: SeededRandom): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[rng.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}
