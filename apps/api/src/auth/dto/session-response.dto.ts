import { ApiProperty } from '@nestjs/swagger';

export class SessionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  last_used_at: string;

  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip_address: string | null;

  @ApiProperty({ description: 'True for the session of the access token making this request' })
  current: boolean;
}

export class SessionListResponseDto {
  @ApiProperty({ type: [SessionResponseDto] })
  items: SessionResponseDto[];
}
