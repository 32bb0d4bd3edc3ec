import { Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { RateLimited } from '../infra/rate-limit/rate-limited.decorator';
import { AuthorizationResponseDto, TokenStatusResponseDto } from './dto/token-status-response.dto';
import { ProviderConnectionService } from './provider-connection.service';
import { ProviderLinkingService } from './provider-linking.service';
import { toTokenStatusResponse } from './provider.mapper';
import { ProvidersService } from './providers.service';

/** A provider's link to its institution: start the OAuth flow, token status, refresh, disconnect. */
@ApiTags('providers')
@ApiParam({ name: 'id', format: 'uuid' })
@ApiProblem(400, 'VALIDATION.FAILED: the id is not a UUID')
@ApiProblem(401, 'Missing, invalid or expired access token')
@ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
@Controller('providers/:id/authorization')
export class ProviderAuthorizationController {
  constructor(
    private readonly providers: ProvidersService,
    private readonly linking: ProviderLinkingService,
    private readonly connections: ProviderConnectionService,
  ) {}

  @Post()
  // Each start writes a state and an audit row; each creation a provider: bounded per user and address.
  @RateLimited()
  @ApiOperation({
    summary: 'Start linking: the institution consent URL',
    description:
      "Open `authorization_url` in the person's browser. The institution sends them to the callback app, " +
      'which finishes the flow. The URL works once and until `expires_at` (10 minutes).',
  })
  @ApiResponse({ status: 201, type: AuthorizationResponseDto })
  @ApiProblem(400, 'PROVIDER.NOT_CONFIGURED: the institution is not available on this server')
  async start(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Client() client: ClientContext,
  ): Promise<AuthorizationResponseDto> {
    const provider = await this.providers.get(caller.id, id);
    const started = await this.linking.start(provider, client);
    return { authorization_url: started.authorizationUrl, expires_at: started.expiresAt.toISOString() };
  }

  @Get()
  @ApiOperation({ summary: 'Token status (never the tokens themselves)' })
  @ApiResponse({ status: 200, type: TokenStatusResponseDto })
  async status(@CurrentUser() caller: AuthUser, @UuidParam('id') id: string): Promise<TokenStatusResponseDto> {
    const provider = await this.providers.get(caller.id, id);
    return toTokenStatusResponse(await this.connections.tokenStatus(provider));
  }

  @Patch()
  @ApiOperation({
    summary: 'Refresh the tokens now',
    description:
      'While another refresh of this connection runs (on any instance) this waits for it and answers its result.',
  })
  @ApiResponse({ status: 200, type: TokenStatusResponseDto })
  @ApiProblem(
    409,
    'PROVIDER.NOT_CONNECTED (no tokens) or PROVIDER.REAUTH_REQUIRED (the institution refused; link again)',
  )
  @ApiProblem(502, 'PROVIDER.UNAVAILABLE: the institution is unreachable or failing; tokens kept')
  @ApiProblem(
    503,
    'PROVIDER.REFRESH_PENDING: the institution refreshed but the database cannot store it yet; kept, retry after Retry-After',
  )
  async refresh(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Client() client: ClientContext,
  ): Promise<TokenStatusResponseDto> {
    const provider = await this.providers.get(caller.id, id);
    return toTokenStatusResponse(await this.connections.refresh(provider, client));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Disconnect',
    description:
      'Revokes at the institution where supported and deletes the tokens; the provider stays and can be linked again.',
  })
  @ApiResponse({ status: 204 })
  async disconnect(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    const provider = await this.providers.get(caller.id, id);
    await this.connections.disconnect(provider, client);
  }
}
