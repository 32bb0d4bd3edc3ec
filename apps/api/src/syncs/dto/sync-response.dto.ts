import { ApiProperty } from '@nestjs/swagger';

import { SYNC_STATUSES, SYNC_TRIGGERS } from '@dashtam/database';

import { PageMetaDto } from '../../common/pagination/page-query.dto';

/** What `POST …/syncs` answers (202): the sync that was queued, or the one already in flight. */
export class SyncAcceptedResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SYNC_STATUSES, example: 'queued' })
  status: string;

  @ApiProperty({ enum: SYNC_TRIGGERS, example: 'manual' })
  trigger: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class SyncTallyDto {
  @ApiProperty({ example: 3 })
  created: number;

  @ApiProperty({ example: 0 })
  updated: number;

  @ApiProperty({ example: 0 })
  unchanged: number;
}

export class SyncResponseDto extends SyncAcceptedResponseDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  started_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_at: string | null;

  @ApiProperty({ type: SyncTallyDto })
  accounts: SyncTallyDto;

  @ApiProperty({ type: SyncTallyDto })
  positions: SyncTallyDto;

  @ApiProperty({ type: SyncTallyDto })
  transactions: SyncTallyDto;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the sync failed, for a person; never the institution’s own text',
    example: 'The institution answered with a server error (HTTP 503)',
  })
  error: string | null;

  @ApiProperty({
    type: [String],
    description:
      'What the institution reported without failing the sync (SimpleFIN Bridge’s errors), readable; rows it could not keep',
    example: ['The institution reported: Connection to Sandbox Bank may need attention'],
  })
  warnings: string[];
}

export class SyncPageResponseDto extends PageMetaDto {
  @ApiProperty({ type: [SyncResponseDto] })
  items: SyncResponseDto[];
}
