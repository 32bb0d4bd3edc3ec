import type { Instrument } from './instruments';
import { USD_CURRENCY } from './instruments';
import { amount, quantity } from './money';

/** Schwab's TransactionInstrument for a security (equity, ETF, fund, money market, bond). */
export function transactionInstrument(instrument: Instrument, closingPriceCents?: number): Record<string, unknown> {
  return {
    assetType: instrument.assetType,
    status: 'ACTIVE',
    symbol: instrument.symbol,
    description: instrument.description,
    instrumentId: instrument.instrumentId,
    cusip: instrument.cusip,
    type: instrument.type,
    ...(closingPriceCents === undefined ? {} : { closingPrice: amount(closingPriceCents) }),
    ...(instrument.assetType === 'FIXED_INCOME'
      ? { maturityDate: instrument.maturityDate, factor: 1, multiplier: 1, variableRate: instrument.couponRate }
      : {}),
    ...(instrument.assetType === 'MUTUAL_FUND' ? { fundFamilyName: 'SCHWAB FUNDS', fundFamilySymbol: 'SWFXX' } : {}),
  };
}

export type FeeType = 'COMMISSION' | 'SEC_FEE' | 'TAF_FEE' | 'OPT_REG_FEE';

/** A fee leg: paid in USD, `amount` the fee and `cost` its (negative) effect on cash. */
export const feeItem = (feeType: FeeType, cents: number): Record<string, unknown> => ({
  instrument: USD_CURRENCY,
  amount: amount(cents),
  cost: amount(-cents),
  feeType,
});

/** A cash leg: the money moved, both as `amount` and `cost`. */
export const cashItem = (cents: number): Record<string, unknown> => ({
  instrument: USD_CURRENCY,
  amount: amount(cents),
  cost: amount(cents),
});

/** A memo-style leg on the cash line: an amount that does not move money. */
export const memoCashItem = (cents: number): Record<string, unknown> => ({
  instrument: USD_CURRENCY,
  amount: amount(cents),
  cost: 0,
});

/** The security leg of a trade or transfer: signed quantity, cost in cents (negative when paid). */
export function securityItem(
  instrument: Record<string, unknown>,
  quantityMilli: number,
  costCents: number,
  extra: { priceCents?: number; positionEffect?: 'OPENING' | 'CLOSING' } = {},
): Record<string, unknown> {
  return {
    instrument,
    amount: quantity(quantityMilli),
    cost: amount(costCents),
    ...(extra.priceCents === undefined ? {} : { price: amount(extra.priceCents) }),
    ...(extra.positionEffect === undefined ? {} : { positionEffect: extra.positionEffect }),
  };
}
