import { Body, Controller, HttpCode, HttpStatus, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { callbackConfig, type CallbackConfig } from '@dashtam/config';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { AppError } from '../common/errors';
import { CALLBACK_SECRET_HEADER, CallbackSecretGuard } from './callback-secret.guard';
import { OAuthCallbackDto, OAuthCallbackResponseDto } from './dto/oauth-callback.dto';
import { type LinkResult, ProviderLinkingService } from './provider-linking.service';

/** Where the callback app hands over what the institution sent back. Not for frontends. */
@ApiTags('oauth')
// No user token: the callback app authenticates with the shared secret instead.
@Public()
@UseGuards(CallbackSecretGuard)
@Controller('oauth/callbacks')
export class OAuthCallbacksController {
  constructor(
    private readonly linking: ProviderLinkingService,
    @Inject(callbackConfig.KEY) private readonly callback: CallbackConfig,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Complete or fail the OAuth flow a state identifies (callback app only)',
    description: 'The state is single-use: of several concurrent deliveries exactly one succeeds.',
  })
  @ApiHeader({ name: CALLBACK_SECRET_HEADER, required: true, description: 'The secret shared with the callback app' })
  @ApiResponse({ status: 200, type: OAuthCallbackResponseDto })
  @ApiProblem(
    400,
    'OAUTH.STATE_INVALID (unknown, expired, replayed or foreign state), OAUTH.ACCESS_DENIED, ' +
      'OAUTH.AUTHORIZATION_FAILED, PROVIDER.NOT_CONFIGURED or VALIDATION.FAILED',
  )
  @ApiProblem(401, 'OAUTH.CALLBACK_UNAUTHORIZED: missing or wrong X-Callback-Secret; nothing was consumed')
  @ApiProblem(502, 'PROVIDER.UNAVAILABLE: the institution could not exchange the code')
  @ApiProblem(404, 'ROUTE.NOT_FOUND when CALLBACK_MODE is forward: the frontend completes through /oauth/completions')
  async deliver(@Body() dto: OAuthCallbackDto, @Client() client: ClientContext): Promise<OAuthCallbackResponseDto> {
    // In forward mode nobody but the signed-in user may complete a flow (consent phishing).
    if (this.callback.mode === 'forward') throw new AppError('ROUTE.NOT_FOUND', 'No such route');
    return toLinkResponse(await this.linking.complete(dto, client));
  }
}

/**
 * Where the frontend completes a flow with the user's own bearer token (CALLBACK_MODE=forward): the
 * state must be the caller's, which binds the grant to the person who started the flow.
 */
@ApiTags('oauth')
@Controller('oauth/completions')
export class OAuthCompletionsController {
  constructor(private readonly linking: ProviderLinkingService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Complete or fail the OAuth flow a state identifies, as the user who started it',
    description:
      "The frontend forwards what the callback app redirected with. Another user's state is refused " +
      'without being consumed. The state is single-use.',
  })
  @ApiResponse({ status: 200, type: OAuthCallbackResponseDto })
  @ApiProblem(
    400,
    "OAUTH.STATE_INVALID (unknown, expired, replayed or another user's state), OAUTH.ACCESS_DENIED, " +
      'OAUTH.AUTHORIZATION_FAILED, PROVIDER.NOT_CONFIGURED or VALIDATION.FAILED',
  )
  @ApiProblem(401, 'Missing or invalid access token')
  @ApiProblem(502, 'PROVIDER.UNAVAILABLE: the institution could not exchange the code')
  async complete(
    @Body() dto: OAuthCallbackDto,
    @CurrentUser() caller: AuthUser,
    @Client() client: ClientContext,
  ): Promise<OAuthCallbackResponseDto> {
    return toLinkResponse(await this.linking.complete(dto, client, { userId: caller.id }));
  }
}

function toLinkResponse(linked: LinkResult): OAuthCallbackResponseDto {
  return { provider_id: linked.providerId, alias: linked.alias, status: linked.status, account: linked.account };
}
