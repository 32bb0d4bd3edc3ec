import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

import { QueryBoolean } from '../../common/decorators/query-boolean.decorator';

export class ListAccountsQueryDto {
  @ApiProperty({ required: false, format: 'uuid', description: "Only this provider's accounts" })
  @IsOptional()
  @IsUUID('all')
  provider_id?: string;

  @ApiProperty({
    required: false,
    description: 'Only open (true) or only closed (false) accounts; without it, both',
  })
  @IsOptional()
  @QueryBoolean()
  is_active?: boolean;
}
