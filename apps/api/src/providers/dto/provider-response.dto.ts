import { ApiProperty } from '@nestjs/swagger';

import { CONNECTION_STATUSES, type ConnectionStatus } from '@dashtam/database';

import { PageMetaDto } from '../../common/pagination/page-query.dto';

export class ProviderResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'sandbox' })
  provider_key: string;

  @ApiProperty({ example: 'My Schwab' })
  alias: string;

  @ApiProperty({ enum: CONNECTION_STATUSES })
  status: ConnectionStatus;

  @ApiProperty({ description: 'Dashtam holds usable tokens for this provider' })
  is_connected: boolean;

  @ApiProperty({ description: 'The institution refused the grant; link again (POST …/authorization)' })
  needs_reconnection: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  connected_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_sync_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  next_sync_at: string | null;

  @ApiProperty()
  accounts_count: number;

  @ApiProperty({ type: String, nullable: true })
  error_message: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

export class ProviderPageResponseDto extends PageMetaDto {
  @ApiProperty({ type: [ProviderResponseDto] })
  items: ProviderResponseDto[];
}
