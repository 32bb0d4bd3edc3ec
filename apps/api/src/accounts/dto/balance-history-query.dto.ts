import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

import { IsCalendarDate } from '../../common/decorators/calendar-date.decorator';

/** Whole UTC days, both ends included; `from` after `to` is a 400. */
export class BalanceHistoryQueryDto {
  @ApiProperty({ required: false, format: 'date', example: '2026-01-01', description: 'First UTC day included' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiProperty({ required: false, format: 'date', example: '2026-12-31', description: 'Last UTC day included' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
