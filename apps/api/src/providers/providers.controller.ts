import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { RateLimited } from '../infra/rate-limit/rate-limited.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { AuditLogPageResponseDto } from './dto/audit-log-response.dto';
import { CreateProviderDto } from './dto/create-provider.dto';
import { ListProvidersQueryDto } from './dto/list-providers-query.dto';
import { ProviderPageResponseDto, ProviderResponseDto } from './dto/provider-response.dto';
import { UpdateProviderDto } from './dto/update-provider.dto';
import { toAuditLogResponse, toProviderResponse } from './provider.mapper';
import { ProvidersService } from './providers.service';

@ApiTags('providers')
@ApiProblem(401, 'Missing, invalid or expired access token')
@Controller('providers')
export class ProvidersController {
  constructor(private readonly providers: ProvidersService) {}

  @Post()
  // Each start writes a state and an audit row; each creation a provider: bounded per user and address.
  @RateLimited()
  @ApiOperation({ summary: 'Add an institution to link; its connection starts `pending`' })
  @ApiResponse({ status: 201, type: ProviderResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED, PROVIDER.UNKNOWN_KEY or PROVIDER.NOT_CONFIGURED')
  @ApiProblem(409, 'PROVIDER.ALIAS_TAKEN: you already use this alias')
  async create(
    @CurrentUser() caller: AuthUser,
    @Body() dto: CreateProviderDto,
    @Client() client: ClientContext,
  ): Promise<ProviderResponseDto> {
    return toProviderResponse(await this.providers.create(caller.id, dto, client));
  }

  @Get()
  @ApiOperation({ summary: 'Your providers, one page at a time' })
  @ApiResponse({ status: 200, type: ProviderPageResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: a filter, sort or page parameter is out of range')
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListProvidersQueryDto): Promise<ProviderPageResponseDto> {
    const page = await this.providers.list(caller.id, query);
    return { ...page, items: page.items.map(toProviderResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your providers' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProviderResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
  async get(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<ProviderResponseDto> {
    return toProviderResponse(await this.providers.get(caller.id, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a provider' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: ProviderResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED')
  @ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
  @ApiProblem(409, 'PROVIDER.ALIAS_TAKEN: you already use this alias')
  async update(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: UpdateProviderDto,
    @Client() client: ClientContext,
  ): Promise<ProviderResponseDto> {
    return toProviderResponse(await this.providers.rename(caller.id, id, dto.alias, client));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a provider',
    description: 'Disconnects first (revoking at the institution where it can); the audit trail is kept.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204 })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
  async remove(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.providers.remove(caller.id, id, client);
  }

  @Get(':id/audit-logs')
  @ApiOperation({ summary: "The provider's audit trail, newest first (never contains a secret)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: AuditLogPageResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED')
  @ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
  async auditLogs(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<AuditLogPageResponseDto> {
    const page = await this.providers.auditLogs(caller.id, id, query);
    return { ...page, items: page.items.map(toAuditLogResponse) };
  }
}
