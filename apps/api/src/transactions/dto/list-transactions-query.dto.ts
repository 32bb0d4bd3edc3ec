import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';

import { TRANSACTION_TYPES, type TransactionType } from '@dashtam/database';

import { IsCalendarDate } from '../../common/decorators/calendar-date.decorator';

export const DEFAULT_TRANSACTION_LIMIT = 100;
export const MAX_TRANSACTION_LIMIT = 500;

// Printable ASCII and spaces: stock, option (OCC, with inner spaces), index ($SPX) and class (BRK/B) symbols.
const SYMBOL_PATTERN = /^[\x20-\x7e]+$/;

/** `GET /transactions`: filters (all optional, combined with AND), the cursor and the page size. */
export class ListTransactionsQueryDto {
  @ApiProperty({ required: false, format: 'uuid', description: 'Only this account (yours)' })
  @IsOptional()
  @IsUUID('all')
  account_id?: string;

  @ApiProperty({ required: false, format: 'uuid', description: "Only this provider's accounts (yours)" })
  @IsOptional()
  @IsUUID('all')
  provider_id?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-01-01', description: 'First date included' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-12-31', description: 'Last date included' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiProperty({ required: false, enum: TRANSACTION_TYPES })
  @IsOptional()
  @IsIn(TRANSACTION_TYPES)
  type?: TransactionType;

  @ApiProperty({ required: false, maxLength: 64, example: 'AAPL', description: 'Exact symbol, any letter case' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(SYMBOL_PATTERN, { message: 'symbol must be printable ASCII' })
  symbol?: string;

  @ApiProperty({
    required: false,
    description: "The previous page's next_cursor, with the same filters; opaque",
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  cursor?: string;

  @ApiProperty({
    required: false,
    minimum: 1,
    maximum: MAX_TRANSACTION_LIMIT,
    default: DEFAULT_TRANSACTION_LIMIT,
  })
  @IsOptional()
  // Only plain digits are a number: '1e2', '0x10', ' 5' or '' stay text and fail IsInt.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(MAX_TRANSACTION_LIMIT)
  limit: number = DEFAULT_TRANSACTION_LIMIT;
}
