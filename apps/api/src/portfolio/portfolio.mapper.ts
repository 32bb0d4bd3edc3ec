import type { PortfolioSummaryResponseDto } from './dto/portfolio-summary-response.dto';
import type { PortfolioSummaryView } from './portfolio.repository';

export function toPortfolioSummaryResponse(view: PortfolioSummaryView): PortfolioSummaryResponseDto {
  return {
    total_value: view.totalValue,
    cash_value: view.cashValue,
    holdings_value: view.holdingsValue,
    change_since_previous: view.changeSincePrevious,
    as_of: view.asOf ? view.asOf.toISOString() : null,
    accounts: view.accounts.map((account) => ({ id: account.id, name: account.name, value: account.value })),
    by_asset_type: view.byAssetType.map((row) => ({ asset_type: row.assetType, value: row.value })),
  };
}
