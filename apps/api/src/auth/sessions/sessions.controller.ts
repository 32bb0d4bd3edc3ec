import { Controller, Delete, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../../common/decorators/client-context.decorator';
import { CurrentUser, type AuthUser } from '../../common/decorators/current-user.decorator';
import { UuidParam } from '../../common/decorators/uuid-param.decorator';
import { toSessionResponse } from '../auth.mapper';
import { SessionListResponseDto } from '../dto/session-response.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@ApiProblem(401, 'Missing, invalid or expired access token, or an ended session')
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's live sessions; `current` marks the one making this request" })
  @ApiResponse({ status: 200, type: SessionListResponseDto })
  async list(@CurrentUser() caller: AuthUser): Promise<SessionListResponseDto> {
    const sessions = await this.sessions.listLive(caller.id);
    return { items: sessions.map((session) => toSessionResponse(session, caller.sessionId)) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of your sessions (its tokens stop working within seconds)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204 })
  @ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
  @ApiProblem(404, "AUTH.SESSION_NOT_FOUND: unknown, ended, or another user's session")
  async revoke(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.sessions.revokeOwn(caller.id, id, client);
  }
}
