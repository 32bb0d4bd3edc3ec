import { ApiProperty } from '@nestjs/swagger';

import { ASSET_TYPES, type AssetType } from '@dashtam/database';

import { MoneyProperty, QuantityProperty } from '../../common/decorators/decimal-property.decorator';

export class PositionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'AAPL' })
  symbol: string;

  @ApiProperty({ type: String, nullable: true, example: 'APPLE INC' })
  description: string | null;

  @ApiProperty({ enum: ASSET_TYPES })
  asset_type: AssetType;

  @QuantityProperty({ description: 'Negative for a short position' })
  quantity: string;

  @QuantityProperty({ nullable: true, example: '142.35000000' })
  average_price: string | null;

  @MoneyProperty({ nullable: true })
  market_value: string | null;

  @MoneyProperty({ nullable: true })
  cost_basis: string | null;

  @ApiProperty({ format: 'date-time' })
  as_of: string;
}

export class PositionListResponseDto {
  @ApiProperty({ type: [PositionResponseDto] })
  items: PositionResponseDto[];
}
