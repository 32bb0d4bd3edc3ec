import type { GeneratedAccount } from './data/account.generator';
import { amount, percent, quantity } from './data/money';
import type { ValuedPosition } from './data/positions';

interface Totals {
  cash: number;
  longMarketValue: number;
  shortMarketValue: number;
  longOptionMarketValue: number;
  shortOptionMarketValue: number;
  mutualFundValue: number;
  moneyMarketFund: number;
  bondValue: number;
  liquidation: number;
  dayProfitLoss: number;
  maintenance: number;
}

/**
 * `{securitiesAccount, aggregatedBalance}` as the Trader API returns it; positions only when asked for.
 * `currentBalances.liquidationValue` = `cashBalance` + Σ positions' `marketValue` (shorts negative), to the cent.
 */
export function toSchwabAccount(
  account: GeneratedAccount,
  positions: readonly ValuedPosition[],
  withPositions: boolean,
): Record<string, unknown> {
  const t = totals(account, positions);
  const margin = account.type === 'MARGIN';
  const availableFunds = Math.max(0, t.liquidation - t.maintenance);
  const common = {
    accruedInterest: 0,
    cashBalance: amount(t.cash),
    cashReceipts: 0,
    longOptionMarketValue: amount(t.longOptionMarketValue),
    liquidationValue: amount(t.liquidation),
    longMarketValue: amount(t.longMarketValue),
    moneyMarketFund: amount(t.moneyMarketFund),
    savings: 0,
    shortMarketValue: amount(t.shortMarketValue),
    pendingDeposits: 0,
    mutualFundValue: amount(t.mutualFundValue),
    bondValue: amount(t.bondValue),
    shortOptionMarketValue: amount(t.shortOptionMarketValue),
  };
  const initialLiquidation = t.liquidation - t.dayProfitLoss;
  const initialBalances = {
    accruedInterest: 0,
    cashAvailableForTrading: amount(t.cash),
    cashBalance: amount(t.cash),
    bondValue: amount(t.bondValue),
    cashReceipts: 0,
    liquidationValue: amount(initialLiquidation),
    longOptionMarketValue: amount(t.longOptionMarketValue),
    longStockValue: amount(t.longMarketValue),
    moneyMarketFund: amount(t.moneyMarketFund),
    mutualFundValue: amount(t.mutualFundValue),
    shortOptionMarketValue: amount(t.shortOptionMarketValue),
    shortStockValue: amount(t.shortMarketValue),
    isInCall: false,
    unsettledCash: 0,
    pendingDeposits: 0,
    accountValue: amount(initialLiquidation),
    ...(margin
      ? {
          availableFundsNonMarginableTrade: amount(availableFunds),
          buyingPower: amount(2 * availableFunds),
          equity: amount(initialLiquidation),
          equityPercentage: 100,
          margin: 0,
          maintenanceRequirement: amount(t.maintenance),
          shortBalance: amount(-t.shortMarketValue),
        }
      : {}),
  };
  const currentBalances = margin
    ? {
        ...common,
        availableFunds: amount(availableFunds),
        availableFundsNonMarginableTrade: amount(availableFunds),
        buyingPower: amount(2 * availableFunds),
        buyingPowerNonMarginableTrade: amount(availableFunds),
        dayTradingBuyingPower: amount(4 * availableFunds),
        equity: amount(t.liquidation),
        equityPercentage: 100,
        longMarginValue: amount(t.longMarketValue),
        maintenanceCall: 0,
        maintenanceRequirement: amount(t.maintenance),
        marginBalance: 0,
        regTCall: 0,
        shortBalance: amount(-t.shortMarketValue),
        shortMarginValue: amount(t.shortMarketValue),
        sma: amount(availableFunds),
      }
    : {
        ...common,
        cashAvailableForTrading: amount(t.cash),
        cashAvailableForWithdrawal: amount(t.cash),
        cashCall: 0,
        longNonMarginableMarketValue: amount(t.liquidation - t.cash),
        totalCash: amount(t.cash),
        cashDebitCallValue: 0,
        unsettledCash: 0,
      };
  const projectedBalances = margin
    ? { availableFunds: amount(availableFunds), buyingPower: amount(2 * availableFunds), isInCall: false }
    : { cashAvailableForTrading: amount(t.cash), cashAvailableForWithdrawal: amount(t.cash) };

  return {
    securitiesAccount: {
      type: account.type,
      accountNumber: account.accountNumber,
      roundTrips: 0,
      isDayTrader: false,
      isClosingOnlyRestricted: false,
      pfcbFlag: false,
      ...(withPositions ? { positions: positions.map((p) => toSchwabPosition(p, margin)) } : {}),
      initialBalances,
      currentBalances,
      projectedBalances,
    },
    aggregatedBalance: { currentLiquidationValue: amount(t.liquidation), liquidationValue: amount(t.liquidation) },
  };
}

function toSchwabPosition(p: ValuedPosition, margin: boolean): Record<string, unknown> {
  const q = quantity(p.quantityMilli);
  const average = amount(p.holding.averagePriceCents);
  const previousValue = p.marketValueCents - p.dayProfitLossCents;
  const side = p.short
    ? {
        averageShortPrice: average,
        taxLotAverageShortPrice: average,
        shortOpenProfitLoss: amount(p.marketValueCents - p.costCents),
        previousSessionShortQuantity: q,
      }
    : {
        averageLongPrice: average,
        taxLotAverageLongPrice: average,
        longOpenProfitLoss: amount(p.marketValueCents - p.costCents),
        previousSessionLongQuantity: q,
      };
  return {
    shortQuantity: p.short ? q : 0,
    averagePrice: average,
    currentDayProfitLoss: amount(p.dayProfitLossCents),
    currentDayProfitLossPercentage: percent(p.dayProfitLossCents, Math.abs(previousValue)),
    longQuantity: p.short ? 0 : q,
    settledLongQuantity: p.short ? 0 : q,
    settledShortQuantity: p.short ? q : 0,
    instrument: p.instrument,
    marketValue: amount(p.marketValueCents),
    maintenanceRequirement: margin ? amount(maintenanceCents(p)) : 0,
    ...side,
    currentDayCost: 0,
  };
}

// Reg T style: 30% of stock and ETF value (long or short), all of a short option's value; cash
// equivalents, funds and bonds carry none here.
function maintenanceCents(p: ValuedPosition): number {
  const value = Math.abs(p.marketValueCents);
  if (p.assetType === 'EQUITY' || p.assetType === 'COLLECTIVE_INVESTMENT') return Math.round(value * 0.3);
  if (p.assetType === 'OPTION' && p.short) return value;
  return 0;
}

function totals(account: GeneratedAccount, positions: readonly ValuedPosition[]): Totals {
  const t: Totals = {
    cash: account.cashCents,
    longMarketValue: 0,
    shortMarketValue: 0,
    longOptionMarketValue: 0,
    shortOptionMarketValue: 0,
    mutualFundValue: 0,
    moneyMarketFund: 0,
    bondValue: 0,
    liquidation: account.cashCents,
    dayProfitLoss: 0,
    maintenance: 0,
  };
  for (const p of positions) {
    const value = p.marketValueCents;
    switch (p.assetType) {
      case 'MUTUAL_FUND':
        t.mutualFundValue += value;
        break;
      case 'CASH_EQUIVALENT':
        t.moneyMarketFund += value;
        break;
      case 'FIXED_INCOME':
        t.bondValue += value;
        break;
      case 'OPTION':
        if (p.short) t.shortOptionMarketValue += value;
        else t.longOptionMarketValue += value;
        break;
      default:
        if (p.short) t.shortMarketValue += value;
        else t.longMarketValue += value;
    }
    t.liquidation += value;
    t.dayProfitLoss += p.dayProfitLossCents;
    t.maintenance += maintenanceCents(p);
  }
  return t;
}
