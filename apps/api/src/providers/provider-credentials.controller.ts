import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { type AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParam } from '../common/decorators/uuid-param.decorator';
import { RateLimited } from '../infra/rate-limit/rate-limited.decorator';
import { LinkCredentialsDto } from './dto/link-credentials.dto';
import { ProviderResponseDto } from './dto/provider-response.dto';
import { ProviderCredentialsService } from './provider-credentials.service';
import { toProviderResponse } from './provider.mapper';
import { ProvidersService } from './providers.service';

/** Linking a non-OAuth institution (SimpleFIN, Alpaca) in one call. */
@ApiTags('providers')
@ApiParam({ name: 'id', format: 'uuid' })
@ApiProblem(401, 'Missing, invalid or expired access token')
@ApiProblem(404, "PROVIDER.NOT_FOUND: unknown, deleted, or another user's provider")
@Controller('providers/:id/credentials')
export class ProviderCredentialsController {
  constructor(
    private readonly providers: ProvidersService,
    private readonly credentials: ProviderCredentialsService,
  ) {}

  @Post()
  @HttpCode(200)
  // Every attempt may call the institution: bounded per user and address like authorization starts.
  @RateLimited()
  @ApiOperation({
    summary: 'Link with credentials: a SimpleFIN setup token or an Alpaca API key',
    description:
      "Send the fields of the provider type's `auth_type`: `{setup_token}` (`setup_token`) or `{api_key_id, " +
      'api_secret, environment}` (`api_key`). The credentials are proven at the institution first; only then ' +
      'is anything stored (encrypted) and the provider `active`. The first sync is queued as after OAuth linking. ' +
      'On a provider linked before, the new credentials replace the stored ones.',
  })
  @ApiResponse({ status: 200, type: ProviderResponseDto })
  @ApiProblem(
    400,
    'VALIDATION.FAILED, PROVIDER.CREDENTIALS_INVALID (refused; nothing stored), PROVIDER.SETUP_TOKEN_HOST_NOT_ALLOWED ' +
      '(the token names a server outside SIMPLEFIN_ALLOWED_HOSTS; no request made), PROVIDER.NOT_CONFIGURED',
  )
  @ApiProblem(
    409,
    'PROVIDER.AUTH_TYPE_MISMATCH: the provider links through OAuth (or file import); PROVIDER.LINK_IN_PROGRESS: ' +
      'another request is linking this provider',
  )
  @ApiProblem(502, 'PROVIDER.UNAVAILABLE: the institution could not be reached; nothing stored')
  async link(
    @CurrentUser() caller: AuthUser,
    @UuidParam('id') id: string,
    @Body() dto: LinkCredentialsDto,
    @Client() client: ClientContext,
  ): Promise<ProviderResponseDto> {
    const provider = await this.providers.get(caller.id, id);
    return toProviderResponse(await this.credentials.link(provider, dto, client));
  }
}
