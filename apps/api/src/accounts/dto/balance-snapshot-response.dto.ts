import { ApiProperty } from '@nestjs/swagger';

import { MoneyProperty } from '../../common/decorators/decimal-property.decorator';

export class BalanceSnapshotResponseDto {
  @MoneyProperty({ nullable: true })
  balance: string | null;

  @MoneyProperty({ nullable: true })
  available_balance: string | null;

  @MoneyProperty({ nullable: true })
  holdings_value: string | null;

  @MoneyProperty({ nullable: true })
  cash_value: string | null;

  @ApiProperty({ format: 'date-time' })
  captured_at: string;
}

export class BalanceSnapshotListResponseDto {
  @ApiProperty({ type: [BalanceSnapshotResponseDto], description: 'Oldest first' })
  items: BalanceSnapshotResponseDto[];
}
