import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { ImportListResponseDto, ImportResponseDto } from './dto/import-response.dto';
import { toImportRequest } from './import-request';
import { toImportResponse } from './import.mapper';
import { ImportsService } from './imports.service';

/** File imports: OFX, QFX and CSV exports from any institution, into the same accounts and transactions. */
@ApiTags('imports')
@ApiProblem(401, 'Missing, invalid or expired access token')
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Import an OFX, QFX or CSV file',
    description:
      'multipart/form-data with `file`, and optionally `format` (ofx|qfx|csv, else detected), `account_id` (an ' +
      'existing import account) and, for CSV, `mapping` (JSON {date, amount, description, id?, date_format?, ' +
      'decimal_separator?}; saved on the account and reused when a later CSV import names the account without one). ' +
      'Re-importing the same or an overlapping file creates nothing twice.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        format: { type: 'string', enum: ['ofx', 'qfx', 'csv'] },
        account_id: { type: 'string', format: 'uuid' },
        mapping: { type: 'string', example: '{"date":"Posting Date","amount":"Amount","description":"Description"}' },
      },
    },
  })
  @ApiResponse({ status: 201, type: ImportResponseDto })
  @ApiProblem(400, 'IMPORT.MALFORMED (errors: [{line, message}], nothing written) or VALIDATION.FAILED')
  @ApiProblem(404, "ACCOUNT.NOT_FOUND: account_id is unknown, another user's, or not an import account")
  @ApiProblem(409, 'IMPORT.ACCOUNT_MISMATCH: the file holds no statement of account_id')
  @ApiProblem(413, 'REQUEST.TOO_LARGE: the file is larger than IMPORT_MAX_BYTES')
  @ApiProblem(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE: not multipart/form-data')
  async create(
    @CurrentUser() caller: AuthUser,
    @Body() form: unknown,
    @Client() client: ClientContext,
  ): Promise<ImportResponseDto> {
    return toImportResponse(await this.imports.create(caller.id, toImportRequest(form), client));
  }

  @Get()
  @ApiOperation({ summary: 'Your imports, newest first' })
  @ApiResponse({ status: 200, type: ImportListResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: page or per_page out of range, or an unknown parameter')
  async list(@CurrentUser() caller: AuthUser, @Query() query: PageQueryDto): Promise<ImportListResponseDto> {
    const page = await this.imports.list(caller.id, query);
    return { ...page, items: page.items.map(toImportResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your imports' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ImportResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, "IMPORT.NOT_FOUND: unknown, or another user's import")
  async get(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<ImportResponseDto> {
    return toImportResponse(await this.imports.get(caller.id, id));
  }
}
