import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

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

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false };

export class ListProviderTypesQueryDto {
  @ApiProperty({ required: false, description: 'Only the configured (true) or unconfigured (false) types' })
  @IsOptional()
  // Query strings are text: only the words "true" and "false" become booleans; anything else fails IsBoolean.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value in BOOLEAN_WORDS ? BOOLEAN_WORDS[value] : value,
  )
  @IsBoolean()
  configured?: boolean;
}
