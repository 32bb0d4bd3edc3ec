import { createHmac } from 'node:crypto';

import {
  ACCOUNT_KINDS,
  ACCOUNT_PROFILES,
  type AccountKind,
  type AccountProfile,
  type HoldingSlot,
  type SchwabAccountType,
} from './account-profiles';
import { BONDS_AND_NOTES, CDS, EQUITIES, ETFS, type Instrument, MONEY_MARKET_FUNDS, MUTUAL_FUNDS } from './instruments';
import { scaleCents } from './money';
import type { PutCall } from './options';
import { SeededRandom } from './seeded-random';

/** One position an account keeps; what it is worth is computed per day (positions.ts). */
export interface Holding {
  asset: HoldingSlot['asset'];
  /** The security itself, or an option's underlying. */
  instrument: Instrument;
  option?: { putCall: PutCall; strikeFactor: number };
  short: boolean;
  /** Quantity in thousandths (shares, contracts or face value): mutual funds hold fractional shares. */
  quantityMilli: number;
  /** Per share / per contract share / per 100 face, in cents. */
  averagePriceCents: number;
}

export interface GeneratedAccount {
  kind: AccountKind;
  profile: AccountProfile;
  accountNumber: string;
  /** Schwab's opaque account id used in every other Trader API path. */
  hashValue: string;
  type: SchwabAccountType;
  cashCents: number;
  holdings: Holding[];
  /** Distinguishes this account's activity ids from every other account's. */
  activitySalt: number;
}

/**
 * The accounts one Sandbox user owns: one of every kind (individual, margin, IRA, cash and one that
 * closes), in that order. Account numbers, holdings and cash are drawn per user; a pure function of
 * the seed and the user name.
 */
export function generateAccounts(seed: string, user: string): GeneratedAccount[] {
  const rng = new SeededRandom(seed, 'user', user);
  const numbers = new Set<string>();
  return ACCOUNT_KINDS.map((kind) => {
    let accountNumber: string;
    do accountNumber = String(rng.int(10_000_000, 99_999_999));
    while (numbers.has(accountNumber));
    numbers.add(accountNumber);
    return generateAccount(seed, user, accountNumber, ACCOUNT_PROFILES[kind]);
  });
}

function generateAccount(seed: string, user: string, accountNumber: string, profile: AccountProfile): GeneratedAccount {
  const rng = new SeededRandom(seed, 'account', user, accountNumber);
  const used = new Set<string>();
  const holdings: Holding[] = [];
  const extras: HoldingSlot[] = Array.from({ length: rng.int(0, profile.extraHoldings) }, () => ({
    asset: rng.next() < 0.7 ? 'equity' : 'etf',
  }));
  for (const slot of [...profile.holdings, ...extras]) {
    const holding = drawHolding(rng, slot, used);
    if (holding) holdings.push(holding);
  }
  return {
    kind: profile.kind,
    profile,
    accountNumber,
    hashValue: createHmac('sha256', seed).update(accountNumber).digest('hex').toUpperCase(),
    type: profile.schwabType,
    cashCents: rng.int(profile.cashCents[0], profile.cashCents[1]),
    holdings,
    activitySalt: rng.int(10_000, 99_999),
  };
}

const POOLS: Record<Exclude<HoldingSlot['asset'], 'option'>, readonly Instrument[]> = {
  equity: EQUITIES,
  etf: ETFS,
  mutual_fund: MUTUAL_FUNDS,
  money_market: MONEY_MARKET_FUNDS,
  bond: BONDS_AND_NOTES,
  cd: CDS,
};
const OPTION_UNDERLYINGS = [...EQUITIES, ...ETFS.filter((e) => e.symbol === 'SPY' || e.symbol === 'QQQ')];

/** A security not yet held in this account (options: one contract per underlying and side). */
function drawHolding(rng: SeededRandom, slot: HoldingSlot, used: Set<string>): Holding | undefined {
  if (slot.asset === 'option') {
    const candidates = OPTION_UNDERLYINGS.filter((i) => !used.has(`${i.symbol}:${slot.putCall}`));
    const underlying = rng.pick(candidates);
    used.add(`${underlying.symbol}:${slot.putCall}`);
    const strikeFactor =
      slot.putCall === 'PUT' ? 0.8 + rng.next() * 0.15 : slot.short ? 1.1 + rng.next() * 0.2 : 1 + rng.next() * 0.2;
    return {
      asset: 'option',
      instrument: underlying,
      option: { putCall: slot.putCall, strikeFactor },
      short: slot.short,
      quantityMilli: rng.int(1, 10) * 1000,
      // Premium paid or received, per share: a few percent of the underlying.
      averagePriceCents: Math.max(5, scaleCents(underlying.basePriceCents, 0.03 + rng.next() * 0.09)),
    };
  }
  const candidates = POOLS[slot.asset].filter((i) => !used.has(i.symbol));
  if (candidates.length === 0) return undefined;
  const instrument = rng.pick(candidates);
  used.add(instrument.symbol);
  return {
    asset: slot.asset,
    instrument,
    short: slot.short === true,
    quantityMilli: quantityMilli(rng, slot),
    averagePriceCents: averagePrice(rng, slot.asset, instrument),
  };
}

function quantityMilli(rng: SeededRandom, slot: Exclude<HoldingSlot, { asset: 'option' }>): number {
  switch (slot.asset) {
    case 'mutual_fund':
      return rng.int(50_000, 2_000_000);
    case 'money_market':
      return rng.int(500, 20_000) * 1000;
    case 'bond':
      return rng.int(1, 50) * 1_000_000;
    case 'cd':
      return rng.int(1, 25) * 1_000_000;
    case 'etf':
      return rng.int(5, 300) * 1000;
    case 'equity':
      return (slot.short ? rng.int(10, 200) : rng.int(1, 400)) * 1000;
  }
}

function averagePrice(rng: SeededRandom, asset: HoldingSlot['asset'], instrument: Instrument): number {
  if (asset === 'money_market') return 100;
  if (asset === 'bond' || asset === 'cd') return 9_500 + rng.int(0, 700);
  return Math.max(1, scaleCents(instrument.basePriceCents, 0.6 + rng.next() * 0.7));
}
