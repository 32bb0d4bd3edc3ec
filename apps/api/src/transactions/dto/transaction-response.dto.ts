import { ApiProperty } from '@nestjs/swagger';

import {
  TRANSACTION_STATUSES,
  TRANSACTION_TYPES,
  type TransactionStatus,
  type TransactionType,
} from '@dashtam/database';

import { MoneyProperty, QuantityProperty } from '../../common/decorators/decimal-property.decorator';

export class TransactionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  account_id: string;

  @ApiProperty({ description: "The institution's own id of the transaction (unique per account)" })
  provider_transaction_id: string;

  @ApiProperty({ format: 'date', example: '2026-03-14', description: 'Trade or posting date (a calendar date)' })
  date: string;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  settlement_date: string | null;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ enum: TRANSACTION_TYPES })
  type: TransactionType;

  @ApiProperty({ example: 'TRADE', description: "The institution's own type, as it sent it" })
  raw_type: string;

  @ApiProperty({ enum: TRANSACTION_STATUSES })
  status: TransactionStatus;

  @MoneyProperty({ example: '-1523.4500', description: 'Signed: money into the account is positive' })
  amount: string;

  @ApiProperty({ example: 'USD' })
  currency: string;

  @ApiProperty({ type: String, nullable: true, example: 'AAPL' })
  symbol: string | null;

  @QuantityProperty({ nullable: true })
  quantity: string | null;

  @QuantityProperty({ nullable: true, example: '152.34500000' })
  price: string | null;

  @MoneyProperty({ example: '0.6500' })
  fees: string;
}

export class TransactionPageResponseDto {
  @ApiProperty({ type: [TransactionResponseDto], description: 'Newest first: date descending, then id descending' })
  items: TransactionResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` (with the same filters) for the next page; null on the last page',
  })
  next_cursor: string | null;
}
