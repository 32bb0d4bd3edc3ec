import { ApiProperty } from '@nestjs/swagger';

import { PageMetaDto } from '../../common/pagination/page-query.dto';

export class AuditLogResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'token_created' })
  action: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Facts about the change (codes, timestamps, counters); never a secret',
  })
  details: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true })
  ip_address: string | null;

  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;

  @ApiProperty({ type: String, nullable: true })
  request_id: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class AuditLogPageResponseDto extends PageMetaDto {
  @ApiProperty({ type: [AuditLogResponseDto] })
  items: AuditLogResponseDto[];
}
