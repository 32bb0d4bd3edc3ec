import type { GeneratedAccount, Holding } from './account.generator';
import type { InstrumentAssetType } from './instruments';
import { amount } from './money';
import { OPTION_MULTIPLIER, optionCloseOn, optionContract, optionInstrumentJson } from './options';
import { DAY_MS, quoteOn } from './quotes';

/** A holding valued on one UTC day. Money in cents; quantities in thousandths. */
export interface ValuedPosition {
  holding: Holding;
  assetType: InstrumentAssetType;
  instrument: Record<string, unknown>;
  short: boolean;
  quantityMilli: number;
  priceCents: number;
  previousCloseCents: number;
  /** Negative for a short position, as Schwab reports it. */
  marketValueCents: number;
  dayProfitLossCents: number;
  /** What the position cost (long) or brought in (short) at its average price. */
  costCents: number;
}

/** Shares × price, with an option's 100-share multiplier and a bond's price per 100 of face value. */
export function valueCents(holding: Pick<Holding, 'asset'>, quantityMilli: number, priceCents: number): number {
  const multiplier = holding.asset === 'option' ? OPTION_MULTIPLIER : 1;
  const per = holding.asset === 'bond' || holding.asset === 'cd' ? 100 : 1;
  return Math.round((quantityMilli * priceCents * multiplier) / (1000 * per));
}

/** Every holding of the account valued at the close of `day` (a UTC day number). */
export function valuePositions(seed: string, account: GeneratedAccount, day: number): ValuedPosition[] {
  return account.holdings.map((holding) => valueHolding(seed, holding, day));
}

function valueHolding(seed: string, holding: Holding, day: number): ValuedPosition {
  const sign = holding.short ? -1 : 1;
  let assetType: InstrumentAssetType;
  let instrument: Record<string, unknown>;
  let priceCents: number;
  let previousCloseCents: number;
  if (holding.option) {
    const contract = optionContract(
      holding.instrument,
      holding.option.putCall,
      holding.option.strikeFactor,
      day * DAY_MS,
    );
    priceCents = optionCloseOn(seed, contract, day);
    previousCloseCents = optionCloseOn(seed, contract, day - 1);
    assetType = 'OPTION';
    instrument = {
      ...optionInstrumentJson(contract),
      netChange: amount(priceCents - previousCloseCents),
      optionDeliverables: [
        {
          symbol: holding.instrument.symbol,
          deliverableUnits: OPTION_MULTIPLIER,
          assetType: holding.instrument.assetType,
        },
      ],
    };
  } else {
    const i = holding.instrument;
    ({ priceCents, previousCloseCents } = quoteOn(seed, i, day));
    assetType = i.assetType;
    instrument = {
      assetType: i.assetType,
      cusip: i.cusip,
      symbol: i.symbol,
      description: i.description,
      instrumentId: i.instrumentId,
      netChange: amount(priceCents - previousCloseCents),
      type: i.type,
      ...(i.assetType === 'FIXED_INCOME'
        ? { maturityDate: i.maturityDate, factor: 1, variableRate: i.couponRate }
        : {}),
    };
  }
  const value = valueCents(holding, holding.quantityMilli, priceCents);
  const previous = valueCents(holding, holding.quantityMilli, previousCloseCents);
  return {
    holding,
    assetType,
    instrument,
    short: holding.short,
    quantityMilli: holding.quantityMilli,
    priceCents,
    previousCloseCents,
    marketValueCents: sign * value,
    dayProfitLossCents: sign * (value - previous),
    costCents: sign * valueCents(holding, holding.quantityMilli, holding.averagePriceCents),
  };
}
