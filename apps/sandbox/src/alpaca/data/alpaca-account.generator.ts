import { SeededRandom } from '../../trader/data/seeded-random';
import type { AlpacaKey } from '../alpaca-key.store';
import {
  ALPACA_CRYPTO,
  ALPACA_EQUITIES,
  ALPACA_OPTIONS,
  type AlpacaAsset,
  alpacaDayOf,
  alpacaPriceOn,
  contractSize,
  decimalText,
  seededUuid,
} from './alpaca-assets';

/** The fixed facts of a key pair's account; balances and positions are valued per day. */
export interface AlpacaAccountProfile {
  id: string;
  accountNumber: string;
  /** 1: cash account; 2 or 4: margin. */
  multiplier: 1 | 2 | 4;
  cashCents: number;
  createdAt: string;
  holdings: AlpacaHolding[];
}

export interface AlpacaHolding {
  asset: AlpacaAsset;
  assetId: string;
  /** Signed: short holdings are negative. */
  qty: number;
  qtyPlaces: number;
  avgEntryCents: number;
}

/** Everything about a key pair's account that does not change with the clock. */
export function alpacaProfile(seed: string, key: AlpacaKey): AlpacaAccountProfile {
  const rng = new SeededRandom(seed, 'alpaca-account', key.keyId);
  const accountNumber =
    key.environment === 'paper'
      ? `PA${Array.from({ length: 10 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'[rng.int(0, 33)]).join('')}`
      : String(rng.int(100_000_000, 999_999_999));
  const multiplier = rng.weighted<1 | 2 | 4>([
    [4, 3],
    [2, 1],
    [1, 1],
  ]);
  const holdings: AlpacaHolding[] = [];
  const add = (asset: AlpacaAsset, qty: number, qtyPlaces: number) => {
    const entryFactor = 0.75 + rng.next() * 0.4;
    holdings.push({
      asset,
      assetId: seededUuid(new SeededRandom(seed, 'alpaca-asset', asset.symbol)),
      qty,
      qtyPlaces,
      avgEntryCents: Math.max(1, Math.round(asset.basePriceCents * entryFactor)),
    });
  };
  const equities = rng.sample(ALPACA_EQUITIES, 3);
  add(equities[0], rng.int(5, 200), 0);
  // Fractional shares, as Alpaca allows for equities.
  add(equities[1], rng.int(1_000, 60_000) / 1000, 3);
  // Only a margin account may be short.
  if (multiplier === 1) add(equities[2], rng.int(1, 50), 0);
  else add(equities[2], -rng.int(1, 30), 0);
  add(rng.pick(ALPACA_CRYPTO), rng.int(1_000, 900_000) / 10_000_000, 7);
  add(rng.pick(ALPACA_OPTIONS), rng.int(1, 5), 0);
  return {
    id: seededUuid(rng),
    accountNumber,
    multiplier,
    cashCents: rng.int(500_000, 5_000_000),
    createdAt: new Date(key.issuedAt - 800 * 86_400_000).toISOString(),
    holdings,
  };
}

interface ValuedPosition {
  json: Record<string, unknown>;
  marketValueCents: number;
}

function valuePosition(seed: string, holding: AlpacaHolding, day: number): ValuedPosition {
  const { asset, qty, qtyPlaces, avgEntryCents } = holding;
  const size = contractSize(asset);
  const price = alpacaPriceOn(seed, asset, day);
  const lastday = alpacaPriceOn(seed, asset, day - 1);
  const marketValueCents = Math.round(qty * price * size);
  const costBasisCents = Math.round(qty * avgEntryCents * size);
  const unrealized = marketValueCents - costBasisCents;
  const intraday = Math.round(qty * (price - lastday) * size);
  const money = (cents: number) => decimalText(cents / 100, 2);
  return {
    marketValueCents,
    json: {
      asset_id: holding.assetId,
      symbol: asset.symbol,
      exchange: asset.exchange,
      asset_class: asset.assetClass,
      asset_marginable: asset.assetClass !== 'crypto',
      qty: decimalText(qty, qtyPlaces),
      avg_entry_price: money(avgEntryCents),
      side: qty < 0 ? 'short' : 'long',
      market_value: money(marketValueCents),
      cost_basis: money(costBasisCents),
      unrealized_pl: money(unrealized),
      unrealized_plpc: decimalText(costBasisCents === 0 ? 0 : unrealized / Math.abs(costBasisCents), 10),
      unrealized_intraday_pl: money(intraday),
      unrealized_intraday_plpc: decimalText(lastday === 0 ? 0 : (price - lastday) / lastday, 10),
      current_price: money(price),
      lastday_price: money(lastday),
      change_today: decimalText(lastday === 0 ? 0 : (price - lastday) / lastday, 10),
      qty_available: decimalText(qty, qtyPlaces),
    },
  };
}

/** `GET /v2/positions` on the clock's UTC day. */
export function alpacaPositionsJson(
  seed: string,
  profile: AlpacaAccountProfile,
  now: number,
): Record<string, unknown>[] {
  const day = alpacaDayOf(now);
  return profile.holdings.map((h) => valuePosition(seed, h, day).json);
}

/** `GET /v2/account` on the clock's UTC day: balances follow the positions' values. */
export function alpacaAccountJson(seed: string, profile: AlpacaAccountProfile, now: number): Record<string, unknown> {
  const day = alpacaDayOf(now);
  const valued = (d: number) => profile.holdings.map((h) => valuePosition(seed, h, d).marketValueCents);
  const today = valued(day);
  const long = today.filter((v) => v > 0).reduce((a, b) => a + b, 0);
  const short = today.filter((v) => v < 0).reduce((a, b) => a + b, 0);
  const equity = profile.cashCents + long + short;
  const lastEquity = profile.cashCents + valued(day - 1).reduce((a, b) => a + b, 0);
  const margin = profile.multiplier > 1;
  const initialMargin = margin ? Math.round((long - short) / 2) : 0;
  const maintenance = margin ? Math.round((long - short) * 0.3) : 0;
  const buyingPower = margin ? Math.max(0, (equity - initialMargin) * profile.multiplier) : profile.cashCents;
  const money = (cents: number) => decimalText(cents / 100, 2);
  return {
    id: profile.id,
    account_number: profile.accountNumber,
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    options_approved_level: 2,
    options_trading_level: 2,
    currency: 'USD',
    buying_power: money(buyingPower),
    regt_buying_power: money(margin ? Math.max(0, (equity - initialMargin) * 2) : profile.cashCents),
    daytrading_buying_power: money(profile.multiplier === 4 ? buyingPower : 0),
    effective_buying_power: money(buyingPower),
    non_marginable_buying_power: money(Math.max(0, profile.cashCents)),
    options_buying_power: money(Math.max(0, profile.cashCents)),
    bod_dtbp: money(profile.multiplier === 4 ? buyingPower : 0),
    cash: money(profile.cashCents),
    accrued_fees: '0',
    pending_transfer_in: '0',
    portfolio_value: money(equity),
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: profile.createdAt,
    trade_suspended_by_user: false,
    multiplier: String(profile.multiplier),
    shorting_enabled: margin,
    equity: money(equity),
    last_equity: money(lastEquity),
    long_market_value: money(long),
    short_market_value: money(short),
    position_market_value: money(long - short),
    initial_margin: money(initialMargin),
    maintenance_margin: money(maintenance),
    last_maintenance_margin: money(maintenance),
    sma: '0',
    daytrade_count: 0,
    balance_asof: new Date(day * 86_400_000 - 86_400_000).toISOString().slice(0, 10),
    crypto_tier: 1,
    intraday_adjustments: '0',
    pending_reg_taf_fees: '0',
  };
}
