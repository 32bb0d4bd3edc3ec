import { ApiProperty } from '@nestjs/swagger';

import { IMPORT_STATUSES, type ImportStatus } from '@dashtam/database';

import { PageMetaDto } from '../../common/pagination/page-query.dto';

export class ImportTallyDto {
  @ApiProperty({ example: 12 })
  created: number;

  @ApiProperty({ example: 0 })
  updated: number;

  @ApiProperty({ example: 3 })
  unchanged: number;
}

export class ImportLineErrorDto {
  @ApiProperty({ example: 42, description: '1-based line of the file' })
  line: number;

  @ApiProperty({ example: '<DTPOSTED> "20250231" is not a date' })
  message: string;
}

export class ImportResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: IMPORT_STATUSES, description: '`completed_with_errors` when some lines were skipped' })
  status: ImportStatus;

  @ApiProperty({ enum: ['ofx', 'qfx', 'csv'] })
  format: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: "The account of the file's first statement",
  })
  account_id: string | null;

  @ApiProperty({ format: 'uuid', description: 'The import provider (catalog key `file`) the accounts belong to' })
  provider_id: string;

  @ApiProperty({ type: String, nullable: true, example: 'statement-2025-04.ofx' })
  file_name: string | null;

  @ApiProperty({ example: 2716 })
  file_size: number;

  @ApiProperty({ type: ImportTallyDto })
  transactions: ImportTallyDto;

  @ApiProperty({ type: [ImportLineErrorDto], description: 'Lines skipped (bad date, amount, duplicate id…)' })
  errors: ImportLineErrorDto[];

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class ImportListResponseDto extends PageMetaDto {
  @ApiProperty({ type: [ImportResponseDto] })
  items: ImportResponseDto[];
}
