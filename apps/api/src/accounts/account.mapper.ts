import type { AccountView, BalanceSnapshotView, PositionView } from './account.views';
import type { AccountResponseDto } from './dto/account-response.dto';
import type { BalanceSnapshotResponseDto } from './dto/balance-snapshot-response.dto';
import type { PositionResponseDto } from './dto/position-response.dto';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

// Decimal strings pass through untouched: PostgreSQL's spelling is the API's (see decimal-property.decorator).

export function toAccountResponse(view: AccountView): AccountResponseDto {
  return {
    id: view.id,
    provider_id: view.providerId,
    name: view.name,
    account_type: view.accountType,
    mask: view.mask,
    currency: view.currency,
    current_balance: view.currentBalance,
    available_balance: view.availableBalance,
    balance_as_of: iso(view.balanceAsOf),
    is_active: view.isActive,
    last_synced_at: iso(view.lastSyncedAt),
  };
}

export function toPositionResponse(view: PositionView): PositionResponseDto {
  return {
    id: view.id,
    symbol: view.symbol,
    description: view.description,
    asset_type: view.assetType,
    quantity: view.quantity,
    average_price: view.averagePrice,
    market_value: view.marketValue,
    cost_basis: view.costBasis,
    as_of: view.asOf.toISOString(),
  };
}

export function toBalanceSnapshotResponse(view: BalanceSnapshotView): BalanceSnapshotResponseDto {
  return {
    balance: view.balance,
    available_balance: view.availableBalance,
    holdings_value: view.holdingsValue,
    cash_value: view.cashValue,
    captured_at: view.capturedAt.toISOString(),
  };
}
