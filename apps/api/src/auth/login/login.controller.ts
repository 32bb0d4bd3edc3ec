import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../../common/decorators/client-context.decorator';
import { CurrentUser, type AuthUser } from '../../common/decorators/current-user.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { RateLimited } from '../../infra/rate-limit/rate-limited.decorator';
import { toTokenResponse } from '../auth.mapper';
import { LoginDto } from '../dto/login.dto';
import { RefreshTokenDto } from '../dto/refresh-token.dto';
import { TokenResponseDto } from '../dto/token-response.dto';
import { SessionsService } from '../sessions/sessions.service';
import { LoginService } from './login.service';

/** Sign in, refresh-token rotation and sign out. */
@ApiTags('auth')
@Controller('auth')
export class LoginController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in: an access token and a rotating refresh token' })
  @ApiResponse({ status: 200, type: TokenResponseDto })
  @ApiProblem(401, 'AUTH.INVALID_CREDENTIALS: same answer for an unknown email and a wrong password')
  @ApiProblem(403, 'AUTH.EMAIL_NOT_VERIFIED or AUTH.ACCOUNT_DISABLED (only after a correct password)')
  @ApiProblem(423, 'AUTH.ACCOUNT_LOCKED after repeated failures; see Retry-After')
  async login(@Body() body: LoginDto, @Client() client: ClientContext): Promise<TokenResponseDto> {
    const { user, tokens } = await this.logins.login(body.email, body.password, client);
    return toTokenResponse(tokens, user);
  }

  @Post('refresh')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Trade a refresh token for new tokens; the presented one stops working' })
  @ApiResponse({ status: 200, type: TokenResponseDto })
  @ApiProblem(401, 'AUTH.REFRESH_TOKEN_INVALID, or AUTH.REFRESH_TOKEN_REUSED (the session is ended)')
  async refresh(@Body() body: RefreshTokenDto, @Client() client: ClientContext): Promise<TokenResponseDto> {
    const { tokens, user } = await this.sessions.rotate(body.refresh_token, client);
    return toTokenResponse(tokens, user);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "End the session this refresh token belongs to (only the caller's own)" })
  @ApiResponse({ status: 204 })
  @ApiProblem(401, 'Missing or invalid access token')
  async logout(
    @CurrentUser() user: AuthUser,
    @Body() body: RefreshTokenDto,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.sessions.logout(user.id, body.refresh_token, client);
  }
}
