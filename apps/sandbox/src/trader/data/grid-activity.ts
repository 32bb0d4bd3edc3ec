import type { GridTransactionType, TradeKind } from './account-profiles';
import type { GeneratedAccount, Holding } from './account.generator';
import { BONDS_AND_NOTES, CDS, EQUITIES, ETFS, type Instrument, MONEY_MARKET_FUNDS, MUTUAL_FUNDS } from './instruments';
import { amount, scaleCents } from './money';
import { OPTION_MULTIPLIER, optionCloseOn, optionContract, optionInstrumentJson } from './options';
import { valueCents } from './positions';
import { closeOn } from './quotes';
import type { SeededRandom } from './seeded-random';
import { cashItem, feeItem, memoCashItem, securityItem, transactionInstrument } from './transaction-json';

/** What one grid slot holds, before the common transaction fields are added. */
export interface Activity {
  type: GridTransactionType;
  /** The security the activity is about (the `symbol` query filter matches it). */
  symbol: string | undefined;
  netCents: number;
  fields: Record<string, unknown>;
  transferItems: Record<string, unknown>[];
  subAccount?: string;
}

export interface ActivityContext {
  seed: string;
  rng: SeededRandom;
  account: GeneratedAccount;
  timeMs: number;
  /** UTC day of the activity: prices are that day's close. */
  day: number;
}

/** The grid activity of one slot: its type drawn from the account kind's mix, then its content. */
export function gridActivity(ctx: ActivityContext): Activity {
  const type = ctx.rng.weighted(ctx.account.profile.mix);
  switch (type) {
    case 'TRADE':
      return trade(ctx, ctx.rng.weighted(ctx.account.profile.trades));
    case 'DIVIDEND_OR_INTEREST':
      return dividendOrInterest(ctx);
    case 'RECEIVE_AND_DELIVER':
      return receiveAndDeliver(ctx);
    case 'MEMORANDUM':
      return memorandum(ctx);
    case 'MONEY_MARKET':
      return moneyMarket(ctx);
    default:
      return cashActivity(ctx, type);
  }
}

const held = (account: GeneratedAccount, asset: Holding['asset']): Instrument[] =>
  account.holdings.filter((h) => h.asset === asset).map((h) => h.instrument);

/** A held security of that kind half the time (so activity matches positions), else any of the universe. */
function pickSecurity(
  rng: SeededRandom,
  account: GeneratedAccount,
  asset: Holding['asset'],
  pool: readonly Instrument[],
) {
  const mine = held(account, asset);
  return mine.length > 0 && rng.next() < 0.5 ? rng.pick(mine) : rng.pick(pool);
}

const withNoise = (rng: SeededRandom, cents: number): number =>
  Math.max(1, scaleCents(cents, 0.99 + rng.next() * 0.02));

function trade(ctx: ActivityContext, kind: TradeKind): Activity {
  const { rng, account } = ctx;
  if (kind === 'option') return optionTrade(ctx);
  if (kind === 'mutual_fund') return fundTrade(ctx);
  if (kind === 'bond') return bondTrade(ctx);
  const short = kind === 'short';
  const instrument =
    kind === 'etf' ? pickSecurity(rng, account, 'etf', ETFS) : pickSecurity(rng, account, 'equity', EQUITIES);
  const buy = rng.next() < (short ? 0.45 : 0.6);
  const shares = rng.int(1, kind === 'etf' ? 50 : 100);
  const priceCents = withNoise(rng, closeOn(ctx.seed, instrument, ctx.day));
  const grossCents = shares * priceCents;
  // SEC fee ($27.80 per million) and FINRA TAF ($0.000166 a share, at most $8.30) on sales only.
  const fees = buy
    ? []
    : [
        feeItem('SEC_FEE', Math.max(1, Math.round(grossCents * 0.0000278))),
        feeItem('TAF_FEE', Math.min(830, Math.max(1, Math.round(shares * 0.0166)))),
      ];
  // A short sale opens a position by selling; buying to cover closes it.
  const positionEffect = short ? (buy ? 'CLOSING' : 'OPENING') : buy ? 'OPENING' : 'CLOSING';
  const security = securityItem(
    transactionInstrument(instrument, priceCents),
    (buy ? shares : -shares) * 1000,
    buy ? -grossCents : grossCents,
    { priceCents, positionEffect },
  );
  return tradeActivity(
    ctx,
    instrument.symbol,
    [feeItem('COMMISSION', 0), ...fees, security],
    short ? 'SHORT' : undefined,
  );
}

function optionTrade(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const held = account.holdings.filter((h) => h.option);
  const fromHolding = held.length > 0 && rng.next() < 0.5 ? rng.pick(held) : undefined;
  const underlying = fromHolding?.instrument ?? rng.pick([...EQUITIES, ...ETFS.slice(0, 3)]);
  const putCall = fromHolding?.option?.putCall ?? (rng.next() < 0.6 ? 'CALL' : 'PUT');
  const strikeFactor = fromHolding?.option?.strikeFactor ?? 0.8 + rng.next() * 0.5;
  const contract = optionContract(underlying, putCall, strikeFactor, ctx.timeMs);
  const buy = rng.next() < 0.5;
  const contracts = rng.int(1, 10);
  const priceCents = withNoise(rng, optionCloseOn(ctx.seed, contract, ctx.day));
  const grossCents = contracts * priceCents * OPTION_MULTIPLIER;
  const fees = [
    feeItem('COMMISSION', 65 * contracts),
    feeItem('OPT_REG_FEE', 2 * contracts),
    ...(buy ? [] : [feeItem('TAF_FEE', Math.max(1, Math.round(contracts * 0.279)))]),
  ];
  const security = securityItem(
    { ...optionInstrumentJson(contract), status: 'ACTIVE', closingPrice: amount(priceCents) },
    (buy ? contracts : -contracts) * 1000,
    buy ? -grossCents : grossCents,
    { priceCents, positionEffect: rng.next() < 0.6 ? 'OPENING' : 'CLOSING' },
  );
  return tradeActivity(ctx, contract.symbol, [...fees, security]);
}

function fundTrade(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const fund = pickSecurity(rng, account, 'mutual_fund', MUTUAL_FUNDS);
  const buy = rng.next() < 0.7;
  // Funds are bought for a dollar amount; the shares are what that buys at the day's NAV.
  const dollarsCents = rng.int(1, 100) * 10_000;
  const navCents = closeOn(ctx.seed, fund, ctx.day);
  const sharesMilli = Math.round((dollarsCents * 1000) / navCents);
  const security = securityItem(
    transactionInstrument(fund, navCents),
    buy ? sharesMilli : -sharesMilli,
    buy ? -dollarsCents : dollarsCents,
    { priceCents: navCents, positionEffect: buy ? 'OPENING' : 'CLOSING' },
  );
  return tradeActivity(ctx, fund.symbol, [feeItem('COMMISSION', 0), security]);
}

function bondTrade(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const pool = account.kind === 'cash' ? CDS : BONDS_AND_NOTES;
  const bond = pickSecurity(rng, account, account.kind === 'cash' ? 'cd' : 'bond', pool);
  const buy = rng.next() < 0.8;
  const faceMilli = rng.int(1, 20) * 1_000_000;
  const priceCents = closeOn(ctx.seed, bond, ctx.day);
  const grossCents = valueCents({ asset: 'bond' }, faceMilli, priceCents);
  const security = securityItem(
    transactionInstrument(bond, priceCents),
    buy ? faceMilli : -faceMilli,
    buy ? -grossCents : grossCents,
    { priceCents, positionEffect: buy ? 'OPENING' : 'CLOSING' },
  );
  return tradeActivity(ctx, bond.symbol, [feeItem('COMMISSION', 0), security]);
}

/** netAmount = the security leg's cost plus every fee leg's cost, to the cent. */
function tradeActivity(
  ctx: ActivityContext,
  symbol: string,
  items: Record<string, unknown>[],
  subAccount?: string,
): Activity {
  const netCents = items.reduce((sum, item) => sum + Math.round((item.cost as number) * 100), 0);
  const instrumentId = (items[items.length - 1].instrument as { instrumentId: number }).instrumentId;
  return {
    type: 'TRADE',
    symbol,
    netCents,
    fields: {
      positionId: (ctx.account.activitySalt * 100 + (instrumentId % 100_000)) % 2_147_483_647,
      activityType: 'EXECUTION',
    },
    transferItems: items,
    subAccount,
  };
}

function dividendOrInterest(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const payers = account.holdings.filter((h) => !h.short && !h.option && h.instrument.paysDividends);
  const roll = rng.next();
  if (account.type === 'MARGIN' && roll < 0.15) {
    return cash('DIVIDEND_OR_INTEREST', 'MARGIN INTEREST', -rng.int(100, 20_000));
  }
  if (payers.length === 0 || roll < 0.25) return cash('DIVIDEND_OR_INTEREST', 'CREDIT INTEREST', rng.int(1, 5_000));
  const holding = rng.pick(payers);
  const i = holding.instrument;
  let cents: number;
  let description: string;
  if (i.assetType === 'FIXED_INCOME') {
    // Semi-annual coupon on the face value held.
    cents = Math.max(1, Math.round(((holding.quantityMilli / 1000) * (i.couponRate ?? 0)) / 2));
    description = 'BOND INTEREST';
  } else if (i.assetType === 'CASH_EQUIVALENT') {
    cents = rng.int(100, 20_000);
    description = 'MONEY MARKET DIVIDEND';
  } else {
    cents = rng.int(100, 50_000);
    description = rng.pick(['ORDINARY DIVIDEND', 'QUALIFIED DIVIDEND', 'LONG TERM CAP GAIN']);
  }
  return {
    type: 'DIVIDEND_OR_INTEREST',
    symbol: i.symbol,
    netCents: cents,
    fields: { description, activityType: 'TRANSFER' },
    transferItems: [{ instrument: transactionInstrument(i), amount: amount(cents), cost: 0 }],
  };
}

function receiveAndDeliver(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const options = account.holdings.filter((h) => h.option);
  if (options.length > 0 && rng.next() < 0.4) {
    const holding = rng.pick(options);
    const contract = optionContract(
      holding.instrument,
      holding.option!.putCall,
      holding.option!.strikeFactor,
      ctx.timeMs,
    );
    const contracts = rng.int(1, 5);
    return noCash('RECEIVE_AND_DELIVER', contract.symbol, 'REMOVAL OF OPTION DUE TO EXPIRATION', [
      securityItem(
        { ...optionInstrumentJson(contract), status: 'ACTIVE' },
        (holding.short ? contracts : -contracts) * 1000,
        0,
        {
          positionEffect: 'CLOSING',
        },
      ),
    ]);
  }
  const instrument = rng.pick([...EQUITIES, ...ETFS]);
  const incoming = rng.next() < 0.7;
  const shares = rng.int(1, 200);
  return noCash(
    'RECEIVE_AND_DELIVER',
    instrument.symbol,
    incoming ? 'TRANSFER OF SECURITY OR OPTION IN' : 'TRANSFER OF SECURITY OR OPTION OUT',
    [securityItem(transactionInstrument(instrument), (incoming ? shares : -shares) * 1000, 0)],
  );
}

function memorandum(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const equities = held(account, 'equity');
  const kind = rng.next();
  if (equities.length > 0 && kind < 0.4) {
    const instrument = rng.pick(equities);
    return noCash('MEMORANDUM', instrument.symbol, 'STOCK SPLIT', [
      securityItem(transactionInstrument(instrument), rng.int(1, 100) * 1000, 0),
    ]);
  }
  const description = kind < 0.7 ? 'TAX LOT ADJUSTMENT' : 'W-9 CERTIFICATION ON FILE';
  return noCash('MEMORANDUM', undefined, description, [memoCashItem(0)]);
}

function moneyMarket(ctx: ActivityContext): Activity {
  const { rng, account } = ctx;
  const fund = pickSecurity(rng, account, 'money_market', MONEY_MARKET_FUNDS);
  const purchase = rng.next() < 0.55;
  const cents = rng.int(1, 200) * 10_000;
  const units = cents / 100;
  return {
    type: 'MONEY_MARKET',
    symbol: fund.symbol,
    netCents: purchase ? -cents : cents,
    fields: { description: purchase ? 'MONEY MARKET PURCHASE' : 'MONEY MARKET REDEMPTION', activityType: 'TRANSFER' },
    transferItems: [
      securityItem(transactionInstrument(fund, 100), (purchase ? units : -units) * 1000, purchase ? -cents : cents, {
        priceCents: 100,
      }),
    ],
  };
}

function cashActivity(ctx: ActivityContext, type: GridTransactionType): Activity {
  const { rng } = ctx;
  switch (type) {
    case 'WIRE_IN':
      return cash(type, 'WIRE INCOMING', rng.int(500_000, 10_000_000));
    case 'WIRE_OUT':
      return cash(type, 'WIRE OUTGOING', -rng.int(500_000, 5_000_000));
    case 'CASH_DISBURSEMENT':
      return cash(type, rng.pick(['CHECK PAID', 'VISA DEBIT CARD PURCHASE']), -rng.int(1_000, 500_000));
    case 'MARGIN_CALL':
      // A notice: the amount called is on the cash line, no money moves with it.
      return noCash(type, undefined, 'MARGIN CALL', [memoCashItem(rng.int(50_000, 2_000_000))]);
    case 'SMA_ADJUSTMENT': {
      const cents = rng.int(1_000, 1_000_000);
      return noCash(type, undefined, 'SMA ADJUSTMENT', [memoCashItem(rng.next() < 0.5 ? cents : -cents)]);
    }
    default: {
      const variant = rng.pick([
        ['INTRA-ACCOUNT TRANSFER', 1],
        ['MISCELLANEOUS CREDIT', 1],
        ['ADR MGMT FEE', -1],
        ['FOREIGN TAX WITHHELD', -1],
      ] as const);
      const cents = rng.int(1, 50_000);
      const sign = variant[0] === 'INTRA-ACCOUNT TRANSFER' && rng.next() < 0.5 ? -1 : variant[1];
      return cash('JOURNAL', variant[0], sign * cents);
    }
  }
}

const cash = (type: GridTransactionType, description: string, cents: number): Activity => ({
  type,
  symbol: undefined,
  netCents: cents,
  fields: { description, activityType: 'TRANSFER' },
  transferItems: [cashItem(cents)],
});

const noCash = (
  type: GridTransactionType,
  symbol: string | undefined,
  description: string,
  transferItems: Record<string, unknown>[],
): Activity => ({ type, symbol, netCents: 0, fields: { description, activityType: 'TRANSFER' }, transferItems });
