import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { Public } from '../common/decorators/public.decorator';
import { CALLBACK_SECRET_HEADER, CallbackSecretGuard } from './callback-secret.guard';
import { OAuthCallbackDto, OAuthCallbackResponseDto } from './dto/oauth-callback.dto';
import { ProviderLinkingService } from './provider-linking.service';

/** Where the callback app hands over what the institution sent back. Not for frontends. */
@ApiTags('oauth')
// No user token: the callback app authenticates with the shared secret instead.
@Public()
@UseGuards(CallbackSecretGuard)
@Controller('oauth/callbacks')
export class OAuthCallbacksController {
  constructor(private readonly linking: ProviderLinkingService) {}

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
  async deliver(@Body() dto: OAuthCallbackDto, @Client() client: ClientContext): Promise<OAuthCallbackResponseDto> {
    const linked = await this.linking.complete(dto, client);
    return { provider_id: linked.providerId, alias: linked.alias, status: linked.status };
  }
}
