import { DAY_MS } from '../../trader/data/quotes';
import { SeededRandom } from '../../trader/data/seeded-random';
import type { AlpacaKey } from '../alpaca-key.store';
import {
  ALPACA_CRYPTO,
  ALPACA_EQUITIES,
  ALPACA_OPTIONS,
  type AlpacaAsset,
  alpacaDayOf,
  alpacaPriceOn,
  decimalText,
  seededUuid,
} from './alpaca-assets';

/** Every activity type Alpaca documents; `activity_types` and the path segment must name one of these. */
export const ALPACA_ACTIVITY_TYPES = [
  'FILL',
  'TRANS',
  'MISC',
  'ACATC',
  'ACATS',
  'CFEE',
  'CSD',
  'CSW',
  'DIV',
  'DIVCGL',
  'DIVCGS',
  'DIVFEE',
  'DIVFT',
  'DIVNRA',
  'DIVROC',
  'DIVTW',
  'DIVTXEX',
  'FEE',
  'INT',
  'INTNRA',
  'INTTW',
  'JNL',
  'JNLC',
  'JNLS',
  'MA',
  'NC',
  'OPASN',
  'OPEXP',
  'OPXRC',
  'PTC',
  'PTR',
  'REORG',
  'SC',
  'SSO',
  'SSP',
  'SPLIT',
  'SPIN',
] as const;
export type AlpacaActivityType = (typeof ALPACA_ACTIVITY_TYPES)[number];

/** Two years of history before the key was issued, one slot every few days (about 260 activities). */
export const ALPACA_HISTORY_MS = 730 * DAY_MS;
export const ALPACA_HISTORY_SLOTS = 260;
const SPACING_MS = Math.floor(ALPACA_HISTORY_MS / ALPACA_HISTORY_SLOTS);

export interface GeneratedActivity {
  id: string;
  timeMs: number;
  type: AlpacaActivityType;
  /** New York calendar date of the activity. */
  date: string;
  json: Record<string, unknown>;
}

const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export const newYorkDate = (ms: number): string => NEW_YORK_DATE.format(ms);

/** Alpaca's activity id: the UTC instant as YYYYMMDDhhmmssSSS, `::`, a UUID — so ids sort by time. */
function activityId(timeMs: number, rng: SeededRandom): string {
  return `${new Date(timeMs).toISOString().replace(/\D/g, '').slice(0, 17)}::${seededUuid(rng)}`;
}

type Kind = 'FILL' | 'DIV' | 'DIVNRA' | 'INT' | 'FEE' | 'CFEE' | 'CSD' | 'CSW' | 'JNLC' | 'TRANS';

const KINDS: ReadonlyArray<readonly [Kind, number]> = [
  ['FILL', 50],
  ['DIV', 12],
  ['DIVNRA', 3],
  ['INT', 6],
  ['FEE', 5],
  ['CFEE', 3],
  ['CSD', 8],
  ['CSW', 5],
  ['JNLC', 4],
  ['TRANS', 4],
];

const money = (cents: number): string => decimalText(cents / 100, 2);

/**
 * The key's activities up to `now`, oldest first. Slot k sits at issue time − two years + k × spacing
 * (plus a seeded offset), so a slot is always the same activity and new ones appear as the clock moves.
 */
export function alpacaActivities(seed: string, key: AlpacaKey, margin: boolean, now: number): GeneratedActivity[] {
  const start = key.issuedAt - ALPACA_HISTORY_MS;
  const last = Math.floor((now - start) / SPACING_MS);
  const activities: GeneratedActivity[] = [];
  for (let slot = 0; slot <= last; slot++) {
    const activity = generateActivity(seed, key, margin, slot, start);
    if (activity.timeMs <= now) activities.push(activity);
  }
  return activities;
}

function generateActivity(
  seed: string,
  key: AlpacaKey,
  margin: boolean,
  slot: number,
  start: number,
): GeneratedActivity {
  const rng = new SeededRandom(seed, 'alpaca-activity', key.keyId, slot);
  const timeMs = start + slot * SPACING_MS + Math.floor(rng.next() * SPACING_MS * 0.9);
  // The account opens with a deposit.
  const kind = slot === 0 ? 'CSD' : rng.weighted(KINDS);
  const id = activityId(timeMs, rng);
  const date = newYorkDate(timeMs);
  if (kind === 'FILL') return { id, timeMs, type: kind, date, json: fill(seed, rng, id, timeMs, margin) };
  const json: Record<string, unknown> = { id, activity_type: kind, date, ...nonTrade(kind, rng, slot, date) };
  return { id, timeMs, type: kind, date, json };
}

function fill(seed: string, rng: SeededRandom, id: string, timeMs: number, margin: boolean): Record<string, unknown> {
  const assetClass = rng.weighted([
    ['equity', 8],
    ['crypto', 2],
    ['option', 1],
  ] as const);
  const asset: AlpacaAsset =
    assetClass === 'equity'
      ? rng.pick(ALPACA_EQUITIES)
      : assetClass === 'crypto'
        ? rng.pick(ALPACA_CRYPTO)
        : rng.pick(ALPACA_OPTIONS);
  const qty =
    assetClass === 'crypto'
      ? decimalText(rng.int(1_000, 500_000) / 10_000_000, 7)
      : assetClass === 'option'
        ? String(rng.int(1, 3))
        : rng.next() < 0.2
          ? decimalText(rng.int(100, 9_999) / 1000, 3)
          : String(rng.int(1, 60));
  const side = rng.weighted([
    ['buy', 65],
    ['sell', 30],
    ['sell_short', margin && assetClass === 'equity' ? 5 : 0],
  ] as const);
  const partial = rng.next() < 0.15;
  const price = alpacaPriceOn(seed, asset, alpacaDayOf(timeMs));
  const leaves = partial ? String(rng.int(1, 10)) : '0';
  return {
    id,
    activity_type: 'FILL',
    transaction_time: new Date(timeMs).toISOString(),
    type: partial ? 'partial_fill' : 'fill',
    price: money(price),
    qty,
    side,
    symbol: asset.symbol,
    leaves_qty: leaves,
    order_id: seededUuid(rng),
    cum_qty: qty,
    order_status: partial ? 'partially_filled' : 'filled',
  };
}

function nonTrade(kind: Exclude<Kind, 'FILL'>, rng: SeededRandom, slot: number, date: string): Record<string, unknown> {
  const status = rng.next() < 0.03 && (kind === 'CSD' || kind === 'CSW') ? 'canceled' : 'executed';
  switch (kind) {
    case 'DIV':
    case 'DIVNRA': {
      const asset = rng.pick(ALPACA_EQUITIES.filter((a) => a.paysDividends));
      const qty = rng.int(10, 200);
      const perShareMilli = rng.int(100, 1_500);
      const gross = Math.round((qty * perShareMilli) / 10);
      const withheld = kind === 'DIVNRA';
      return {
        net_amount: money(withheld ? -Math.max(1, Math.round(gross * 0.3)) : gross),
        description: withheld
          ? `DIV NRA Withheld, Pos QTY: ${qty}`
          : `Cash DIV @ ${decimalText(perShareMilli / 1000, 3)}, Pos QTY: ${qty}, Rec Date: ${date}`,
        symbol: asset.symbol,
        qty: String(qty),
        per_share_amount: decimalText(perShareMilli / 1000, 3),
        status,
      };
    }
    case 'INT':
      return { net_amount: money(rng.int(50, 5_000)), description: 'Interest Credit', status };
    case 'FEE':
      return { net_amount: money(-rng.int(1, 500)), description: 'REG/TAF fee', status };
    case 'CFEE': {
      const asset = rng.pick(ALPACA_CRYPTO);
      return {
        net_amount: money(-rng.int(1, 900)),
        description: 'Crypto fee',
        symbol: asset.symbol,
        qty: decimalText(-rng.int(1, 900) / 10_000_000, 7),
        per_share_amount: money(asset.basePriceCents),
        status,
      };
    }
    case 'CSD':
      return { net_amount: money(slot === 0 ? 2_500_000 : rng.int(10_000, 1_000_000)), description: '', status };
    case 'CSW':
      return { net_amount: money(-rng.int(10_000, 300_000)), description: 'ACH withdrawal', status };
    case 'JNLC':
      return {
        net_amount: money(rng.int(-50_000, 50_000) || 100),
        description: 'Cash journal between own accounts',
        status,
      };
    case 'TRANS':
      return { net_amount: money(rng.int(-5_000, 5_000) || 100), description: 'Cash transaction', status };
  }
}
