import { ApiProperty } from '@nestjs/swagger';

import { CONNECTION_STATUSES, type ConnectionStatus } from '@dashtam/database';

/** What Dashtam knows about a connection's tokens; never a token itself. Null fields: no tokens held. */
export class TokenStatusResponseDto {
  @ApiProperty({ enum: CONNECTION_STATUSES })
  status: ConnectionStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the access token expires' })
  expires_at: string | null;

  @ApiProperty({ type: Boolean, nullable: true })
  has_refresh_token: boolean | null;

  @ApiProperty({ type: String, nullable: true })
  scope: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_refreshed_at: string | null;

  @ApiProperty({ type: Number, nullable: true })
  refresh_count: number | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The refresh token stops working at this time (Schwab: 7 days after consent); link again before it',
  })
  refresh_token_expires_at: string | null;
}

export class AuthorizationResponseDto {
  @ApiProperty({ description: "Open this in the person's browser: the institution's consent page" })
  authorization_url: string;

  @ApiProperty({ format: 'date-time', description: 'The flow must be finished before this time' })
  expires_at: string;
}
