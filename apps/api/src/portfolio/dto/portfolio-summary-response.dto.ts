import { ApiProperty } from '@nestjs/swagger';

import { ASSET_TYPES } from '@dashtam/database';

import { MoneyProperty } from '../../common/decorators/decimal-property.decorator';

export class PortfolioAccountValueDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Individual Brokerage' })
  name: string;

  @MoneyProperty({ description: "The account's current balance (its holdings when the institution gave none)" })
  value: string;
}

export class PortfolioAssetTypeValueDto {
  @ApiProperty({ enum: [...ASSET_TYPES, 'cash'], description: '`cash`: what the accounts hold beyond their positions' })
  asset_type: string;

  @MoneyProperty()
  value: string;
}

export class PortfolioSummaryResponseDto {
  @MoneyProperty({ description: 'Σ accounts[].value = cash_value + holdings_value = Σ by_asset_type[].value' })
  total_value: string;

  @MoneyProperty({ description: 'total_value − holdings_value (negative when margin is borrowed)' })
  cash_value: string;

  @MoneyProperty({ description: "Σ market_value of the active accounts' active positions" })
  holdings_value: string;

  @MoneyProperty({
    nullable: true,
    description:
      'Σ over active accounts of (latest balance snapshot − the one before it); accounts with fewer than two ' +
      'snapshots add nothing; null when no account has two',
  })
  change_since_previous: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "The oldest of the active accounts' balance times: every figure is at least this recent",
  })
  as_of: string | null;

  @ApiProperty({ type: [PortfolioAccountValueDto], description: 'Active accounts, largest value first' })
  accounts: PortfolioAccountValueDto[];

  @ApiProperty({ type: [PortfolioAssetTypeValueDto], description: 'Largest value first' })
  by_asset_type: PortfolioAssetTypeValueDto[];
}
