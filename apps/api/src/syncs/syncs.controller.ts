import { Controller, Get, Headers, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { API_PREFIX } from '../configure-app';
import { SyncAcceptedResponseDto, SyncPageResponseDto, SyncResponseDto } from './dto/sync-response.dto';
import { parseIdempotencyKey, requestHash } from './idempotency-key';
import { toSyncAcceptedResponse, toSyncResponse } from './sync.mapper';
import { SyncsService } from './syncs.service';

/** A provider's syncs: ask for one (202, it runs in the background), list them, show one. */
@ApiTags('syncs')
@ApiParam({ name: 'id', format: 'uuid', description: 'The provider' })
@ApiProblem(400, 'VALIDATION.FAILED: an id is not a UUID, or a parameter is out of range')
@ApiProblem(401, 'Missing, invalid or expired access token')
@ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
@Controller('providers/:id/syncs')
export class SyncsController {
  constructor(private readonly syncs: SyncsService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Sync now',
    description:
      'Queues a sync of accounts, positions, balances and transactions and answers at once. While a sync of this ' +
      'provider is queued or running, answers that one. With an `Idempotency-Key`, a retry of the same request ' +
      '(method, path, body) within 24 h answers the same sync.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–255 visible ASCII characters (or an sf-string)',
  })
  @ApiResponse({ status: 202, type: SyncAcceptedResponseDto })
  @ApiProblem(409, 'PROVIDER.NOT_CONNECTED (link it first) or PROVIDER.REAUTH_REQUIRED (link it again)')
  @ApiProblem(422, 'IDEMPOTENCY.KEY_REUSED: this key was used with a different request')
  async create(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Headers('idempotency-key') header: string | string[] | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SyncAcceptedResponseDto> {
    const key = parseIdempotencyKey(header);
    const path = `/${API_PREFIX}/providers/${id.toLowerCase()}/syncs`;
    const idempotent = key === null ? null : { key, requestHash: requestHash('POST', path, request.body) };
    const sync = await this.syncs.request(caller.id, id, idempotent);
    reply.header('location', `${path}/${sync.id}`);
    return toSyncAcceptedResponse(sync);
  }

  @Get()
  @ApiOperation({ summary: "The provider's syncs, newest first" })
  @ApiResponse({ status: 200, type: SyncPageResponseDto })
  async list(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<SyncPageResponseDto> {
    const page = await this.syncs.list(caller.id, id, query);
    return { ...page, items: page.items.map(toSyncResponse) };
  }

  @Get(':syncId')
  @ApiOperation({ summary: 'One sync: status and what it created, updated and left unchanged' })
  @ApiParam({ name: 'syncId', format: 'uuid' })
  @ApiResponse({ status: 200, type: SyncResponseDto })
  @ApiProblem(404, 'SYNC.NOT_FOUND: no such sync of this provider')
  async get(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @UuidParam('syncId') syncId: string,
  ): Promise<SyncResponseDto> {
    return toSyncResponse(await this.syncs.get(caller.id, id, syncId));
  }
}
