import { createHmac } from 'node:crypto';

import { type Instrument, INSTRUMENTS } from './instruments';
import { scaleCents } from './money';
import { SeededRandom } from './seeded-random';

export type AccountType = 'MARGIN' | 'CASH';

export interface Quote {
  priceCents: number;
  previousCloseCents: number;
}

export interface GeneratedPosition {
  instrument: Instrument;
  quantity: number;
  averagePriceCents: number;
  quote: Quote;
}

export interface GeneratedAccount {
  accountNumber: string;
  /** Schwab's opaque account id used in every other Trader API path. */
  hashValue: string;
  type: AccountType;
  cashCents: number;
  positions: GeneratedPosition[];
  /** Distinguishes this account's activity ids from every other account's. */
  activitySalt: number;
}

/** Today's illustrative price for a symbol: one per seed, shared by every user. */
export function quoteFor(seed: string, instrument: Instrument): Quote {
  if (instrument.assetType === 'CASH_EQUIVALENT') return { priceCents: 100, previousCloseCents: 100 };
  const rng = new SeededRandom(seed, 'quote', instrument.symbol);
  const priceCents = scaleCents(instrument.basePriceCents, 0.9 + rng.next() * 0.2);
  const changeCents = scaleCents(priceCents, (rng.next() - 0.5) * 0.06);
  return { priceCents, previousCloseCents: priceCents - changeCents };
}

/** The accounts one Sandbox user owns: 2 or 3, the first always a margin account. */
export function generateAccounts(seed: string, user: string): GeneratedAccount[] {
  const rng = new SeededRandom(seed, 'user', user);
  const count = rng.int(2, 3);
  const numbers = new Set<string>();
  const accounts: GeneratedAccount[] = [];
  for (let index = 0; index < count; index++) {
    let accountNumber: string;
    do accountNumber = String(rng.int(10_000_000, 99_999_999));
    while (numbers.has(accountNumber));
    numbers.add(accountNumber);
    accounts.push(generateAccount(seed, user, accountNumber, index === 0 ? 'MARGIN' : rng.pick(['CASH', 'MARGIN'])));
  }
  return accounts;
}

function generateAccount(seed: string, user: string, accountNumber: string, type: AccountType): GeneratedAccount {
  const rng = new SeededRandom(seed, 'account', user, accountNumber);
  const positions = rng.sample(INSTRUMENTS, rng.int(3, 8)).map((instrument): GeneratedPosition => {
    const quote = quoteFor(seed, instrument);
    const cashLike = instrument.assetType === 'CASH_EQUIVALENT';
    return {
      instrument,
      quantity: cashLike ? rng.int(500, 20_000) : rng.int(1, 400),
      averagePriceCents: cashLike ? 100 : scaleCents(quote.priceCents, 0.6 + rng.next() * 0.7),
      quote,
    };
  });
  return {
    accountNumber,
    hashValue: createHmac('sha256', seed).update(accountNumber).digest('hex').toUpperCase(),
    type,
    cashCents: rng.int(50_000, 5_000_000),
    positions,
    activitySalt: rng.int(10_000, 99_999),
  };
}
