import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * `POST /providers/{id}/credentials`: the fields of the provider's auth type, and only those —
 * `setup_token` for `setup_token` providers (SimpleFIN), the three key fields for `api_key` (Alpaca).
 * Which set applies is checked against the provider; unknown fields are refused as everywhere.
 */
export class LinkCredentialsDto {
  @ApiProperty({ required: false, maxLength: 2048, description: 'SimpleFIN: the setup token from the Bridge' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  setup_token?: string;

  @ApiProperty({ required: false, maxLength: 256, description: 'Alpaca: API key id' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  api_key_id?: string;

  @ApiProperty({ required: false, maxLength: 256, description: 'Alpaca: API secret key' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  api_secret?: string;

  @ApiProperty({ required: false, enum: ['paper', 'live'], description: 'Alpaca: which trading environment' })
  @IsOptional()
  @IsIn(['paper', 'live'])
  environment?: 'paper' | 'live';
}
