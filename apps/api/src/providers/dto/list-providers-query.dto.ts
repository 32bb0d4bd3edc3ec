import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { CONNECTION_STATUSES, type ConnectionStatus } from '@dashtam/database';
import { PROVIDER_KEYS, type ProviderKey } from '@dashtam/providers';

import { PageQueryDto } from '../../common/pagination/page-query.dto';

export const PROVIDER_SORT_FIELDS = ['created_at', 'updated_at', 'alias', 'provider_key', 'status'] as const;
export type ProviderSortField = (typeof PROVIDER_SORT_FIELDS)[number];

export class ListProvidersQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: CONNECTION_STATUSES })
  @IsOptional()
  @IsIn(CONNECTION_STATUSES)
  status?: ConnectionStatus;

  @ApiProperty({ required: false, enum: PROVIDER_KEYS })
  @IsOptional()
  @IsIn(PROVIDER_KEYS)
  provider_key?: ProviderKey;

  @ApiProperty({ required: false, enum: PROVIDER_SORT_FIELDS, default: 'created_at' })
  @IsOptional()
  @IsIn(PROVIDER_SORT_FIELDS)
  sort: ProviderSortField = 'created_at';

  @ApiProperty({ required: false, enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}
