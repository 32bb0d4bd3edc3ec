import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

import { CONNECTION_STATUSES, type ConnectionStatus } from '@dashtam/database';

/** What the callback app received from the institution; limits match the callback app's. */
export class OAuthCallbackDto {
  @ApiProperty({ maxLength: 512 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  state: string;

  @ApiProperty({ required: false, maxLength: 4096 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  code?: string;

  @ApiProperty({ required: false, maxLength: 128, example: 'access_denied' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  error?: string;

  @ApiProperty({ required: false, maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  error_description?: string;
}

export class OAuthCallbackResponseDto {
  @ApiProperty({ format: 'uuid' })
  provider_id: string;

  @ApiProperty()
  alias: string;

  @ApiProperty({ enum: CONNECTION_STATUSES })
  status: ConnectionStatus;

  @ApiProperty({
    description: 'The Dashtam account the institution was linked into, masked',
    example: 'a***@example.com',
  })
  account: string;
}
