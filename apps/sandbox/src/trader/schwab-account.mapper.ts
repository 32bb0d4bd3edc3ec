import type { GeneratedAccount, GeneratedPosition } from './data/account.generator';
import { amount, percent } from './data/money';

interface Totals {
  cash: number;
  longMarketValue: number;
  mutualFundValue: number;
  moneyMarketFund: number;
  liquidation: number;
  dayProfitLoss: number;
  maintenance: number;
}

/** `{securitiesAccount, aggregatedBalance}` as the Trader API returns it; positions only when asked for. */
export function toSchwabAccount(account: GeneratedAccount, withPositions: boolean): Record<string, unknown> {
  const t = totals(account);
  const margin = account.type === 'MARGIN';
  const common = {
    accruedInterest: 0,
    cashBalance: amount(t.cash),
    cashReceipts: 0,
    longOptionMarketValue: 0,
    liquidationValue: amount(t.liquidation),
    longMarketValue: amount(t.longMarketValue),
    moneyMarketFund: amount(t.moneyMarketFund),
    savings: 0,
    shortMarketValue: 0,
    pendingDeposits: 0,
    mutualFundValue: amount(t.mutualFundValue),
    bondValue: 0,
    shortOptionMarketValue: 0,
  };
  const initialLiquidation = t.liquidation - t.dayProfitLoss;
  const initialBalances = {
    accruedInterest: 0,
    cashAvailableForTrading: amount(t.cash),
    cashBalance: amount(t.cash),
    bondValue: 0,
    cashReceipts: 0,
    liquidationValue: amount(initialLiquidation),
    longOptionMarketValue: 0,
    longStockValue: amount(t.longMarketValue - t.dayProfitLoss),
    moneyMarketFund: amount(t.moneyMarketFund),
    mutualFundValue: amount(t.mutualFundValue),
    shortOptionMarketValue: 0,
    shortStockValue: 0,
    isInCall: false,
    unsettledCash: 0,
    pendingDeposits: 0,
    accountValue: amount(initialLiquidation),
    ...(margin
      ? { buyingPower: amount(2 * t.cash), equity: amount(initialLiquidation), equityPercentage: 100, margin: 0 }
      : {}),
  };
  const currentBalances = margin
    ? {
        ...common,
        availableFunds: amount(t.cash),
        availableFundsNonMarginableTrade: amount(t.cash),
        buyingPower: amount(2 * t.cash),
        buyingPowerNonMarginableTrade: amount(t.cash),
        dayTradingBuyingPower: amount(4 * t.cash),
        equity: amount(t.liquidation),
        equityPercentage: 100,
        longMarginValue: amount(t.longMarketValue),
        maintenanceCall: 0,
        maintenanceRequirement: amount(t.maintenance),
        marginBalance: 0,
        regTCall: 0,
        shortBalance: 0,
        shortMarginValue: 0,
        sma: amount(t.cash),
      }
    : {
        ...common,
        cashAvailableForTrading: amount(t.cash),
        cashAvailableForWithdrawal: amount(t.cash),
        cashCall: 0,
        longNonMarginableMarketValue: amount(t.longMarketValue + t.mutualFundValue),
        totalCash: amount(t.cash),
        cashDebitCallValue: 0,
        unsettledCash: 0,
      };
  const projectedBalances = margin
    ? { availableFunds: amount(t.cash), buyingPower: amount(2 * t.cash), isInCall: false }
    : { cashAvailableForTrading: amount(t.cash), cashAvailableForWithdrawal: amount(t.cash) };

  return {
    securitiesAccount: {
      type: account.type,
      accountNumber: account.accountNumber,
      roundTrips: 0,
      isDayTrader: false,
      isClosingOnlyRestricted: false,
      pfcbFlag: false,
      ...(withPositions ? { positions: account.positions.map((p) => toSchwabPosition(p, margin)) } : {}),
      initialBalances,
      currentBalances,
      projectedBalances,
    },
    aggregatedBalance: { currentLiquidationValue: amount(t.liquidation), liquidationValue: amount(t.liquidation) },
  };
}

function toSchwabPosition(position: GeneratedPosition, margin: boolean): Record<string, unknown> {
  const { instrument, quantity, averagePriceCents, quote } = position;
  const marketValue = quantity * quote.priceCents;
  const changeCents = quote.priceCents - quote.previousCloseCents;
  const dayProfitLoss = quantity * changeCents;
  return {
    shortQuantity: 0,
    averagePrice: amount(averagePriceCents),
    currentDayProfitLoss: amount(dayProfitLoss),
    currentDayProfitLossPercentage: percent(changeCents, quote.previousCloseCents),
    longQuantity: quantity,
    settledLongQuantity: quantity,
    settledShortQuantity: 0,
    instrument: {
      assetType: instrument.assetType,
      cusip: instrument.cusip,
      symbol: instrument.symbol,
      description: instrument.description,
      instrumentId: instrument.instrumentId,
      netChange: amount(changeCents),
      type: instrument.type,
    },
    marketValue: amount(marketValue),
    maintenanceRequirement: margin ? amount(maintenanceCents(position)) : 0,
    averageLongPrice: amount(averagePriceCents),
    taxLotAverageLongPrice: amount(averagePriceCents),
    longOpenProfitLoss: amount(marketValue - quantity * averagePriceCents),
    previousSessionLongQuantity: quantity,
    currentDayCost: 0,
  };
}

// Reg T style: 30% of long equity value, nothing on cash equivalents.
const maintenanceCents = (p: GeneratedPosition): number =>
  p.instrument.assetType === 'CASH_EQUIVALENT' ? 0 : Math.round(p.quantity * p.quote.priceCents * 0.3);

function totals(account: GeneratedAccount): Totals {
  const t: Totals = {
    cash: account.cashCents,
    longMarketValue: 0,
    mutualFundValue: 0,
    moneyMarketFund: 0,
    liquidation: account.cashCents,
    dayProfitLoss: 0,
    maintenance: 0,
  };
  for (const p of account.positions) {
    const value = p.quantity * p.quote.priceCents;
    if (p.instrument.assetType === 'MUTUAL_FUND') t.mutualFundValue += value;
    else if (p.instrument.assetType === 'CASH_EQUIVALENT') t.moneyMarketFund += value;
    else t.longMarketValue += value;
    t.liquidation += value;
    t.dayProfitLoss += p.quantity * (p.quote.priceCents - p.quote.previousCloseCents);
    t.maintenance += maintenanceCents(p);
  }
  return t;
}
