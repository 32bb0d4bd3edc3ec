import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

import { QueryBoolean } from '../../common/decorators/query-boolean.decorator';

export class ProviderTypeResponseDto {
  @ApiProperty({ example: 'schwab' })
  key: string;

  @ApiProperty({ example: 'Charles Schwab' })
  name: string;

  @ApiProperty({ example: 'brokerage' })
  provider_type: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ example: 'oauth2' })
  auth_type: string;

  @ApiProperty({ description: 'Whether this instance can link it now (credentials and endpoints configured)' })
  is_configured: boolean;

  @ApiProperty({ type: [String], example: ['accounts', 'positions', 'transactions', 'token_refresh'] })
  supported_features: string[];
}

export class ProviderTypeListResponseDto {
  @ApiProperty({ type: [ProviderTypeResponseDto] })
  items: ProviderTypeResponseDto[];
}

export class ListProviderTypesQueryDto {
  @ApiProperty({ required: false, description: 'Only the configured (true) or unconfigured (false) types' })
  @IsOptional()
  @QueryBoolean()
  configured?: boolean;
}
