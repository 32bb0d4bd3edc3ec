import { createHash } from 'node:crypto';

const DAY_SECONDS = 86_400;
/** How far back the Sandbox Bridge has transactions (the real one keeps about 90 days). */
export const SIMPLEFIN_HISTORY_DAYS = 120;

interface AccountProfile {
  id: string;
  name: string;
  /** Balance in cents. */
  balanceCents: number;
  availableCents: number | null;
  /** Typical transaction size in cents; the sign says whether money mostly leaves (-) or arrives (+). */
  typicalCents: number;
  holdings?: Array<{ symbol: string; description: string; shares: string; price: number; cost: number }>;
}

const ACCOUNTS: AccountProfile[] = [
  {
    id: 'SBX-CHK-4821',
    name: 'Everyday Checking ...4821',
    balanceCents: 482_113,
    availableCents: 470_000,
    typicalCents: -4_250,
  },
  {
    id: 'SBX-SAV-7730',
    name: 'High Yield Savings ...7730',
    balanceCents: 1_250_075,
    availableCents: 1_250_075,
    typicalCents: 1_500,
  },
  {
    id: 'SBX-CC-1188',
    name: 'Rewards Visa Card ...1188',
    balanceCents: -84_219,
    availableCents: 915_781,
    typicalCents: -2_899,
  },
  {
    id: 'SBX-INV-5502',
    name: 'Brokerage ...5502',
    balanceCents: 2_512_450,
    availableCents: null,
    typicalCents: 2_000,
    holdings: [
      { symbol: 'VTI', description: 'Vanguard Total Stock Market ETF', shares: '40', price: 285_12, cost: 210_00 },
      { symbol: 'BND', description: 'Vanguard Total Bond Market ETF', shares: '55.5', price: 72_40, cost: 75_10 },
    ],
  },
];

const PAYEES = ['Corner Grocery', 'City Transit', 'Coffee House', 'Hardware Store', 'Pharmacy', 'Book Shop'];

export interface AccountsQuery {
  /** UNIX seconds; transactions posted at or after. */
  startDate: number | null;
  /** UNIX seconds; transactions posted before. */
  endDate: number | null;
  pending: boolean;
  balancesOnly: boolean;
  /** Only these account ids (none: all). */
  accounts: string[];
}

/**
 * A deterministic bank-like account set at `nowSeconds` (the Sandbox clock): checking, savings, a
 * credit card and an investment account with holdings, one transaction a day per account for
 * SIMPLEFIN_HISTORY_DAYS, the last two days of checking still pending. Same clock, same answer.
 */
export function simplefinAccountSet(nowSeconds: number, query: AccountsQuery, org: Record<string, string>) {
  const today = Math.floor(nowSeconds / DAY_SECONDS) * DAY_SECONDS;
  return ACCOUNTS.filter((profile) => query.accounts.length === 0 || query.accounts.includes(profile.id)).map(
    (profile) => ({
      org,
      id: profile.id,
      name: profile.name,
      currency: 'USD',
      balance: cents(profile.balanceCents),
      'available-balance': profile.availableCents === null ? undefined : cents(profile.availableCents),
      'balance-date': nowSeconds,
      transactions: query.balancesOnly ? [] : transactionsOf(profile, today, query),
      holdings: (profile.holdings ?? []).map((holding) => ({
        id: `${profile.id}-${holding.symbol}`,
        created: today - 400 * DAY_SECONDS,
        currency: 'USD',
        symbol: holding.symbol,
        description: holding.description,
        shares: holding.shares,
        purchase_price: cents(holding.cost),
        cost_basis: cents(Math.round(holding.cost * Number(holding.shares))),
        market_value: cents(Math.round(holding.price * Number(holding.shares))),
      })),
    }),
  );
}

function transactionsOf(profile: AccountProfile, today: number, query: AccountsQuery) {
  const rows = [];
  for (let age = SIMPLEFIN_HISTORY_DAYS - 1; age >= 0; age -= 1) {
    const day = today - age * DAY_SECONDS;
    const posted = day + 12 * 3600;
    const pending = profile.id === 'SBX-CHK-4821' && age < 2;
    if (pending && !query.pending) continue;
    if (!pending && query.startDate !== null && posted < query.startDate) continue;
    if (!pending && query.endDate !== null && posted >= query.endDate) continue;
    const seed = createHash('sha256').update(`${profile.id}:${day}`).digest();
    const factor = 0.25 + seed[0] / 128;
    const amount = Math.round(profile.typicalCents * factor);
    const isoDay = new Date(day * 1000).toISOString().slice(0, 10).replace(/-/g, '');
    rows.push({
      id: `${profile.id}-${isoDay}`,
      posted: pending ? 0 : posted,
      amount: cents(amount),
      description:
        amount < 0 ? PAYEES[seed[1] % PAYEES.length] : profile.holdings ? 'Dividend reinvested' : 'Interest paid',
      payee: amount < 0 ? PAYEES[seed[1] % PAYEES.length] : undefined,
      transacted_at: posted - 3600,
      pending: pending || undefined,
    });
  }
  return rows;
}

function cents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
