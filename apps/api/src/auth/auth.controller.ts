import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../common/decorators/client-context.decorator';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { RateLimited } from '../rate-limit/rate-limited.decorator';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { toUserResponse } from '../users/user.mapper';
import { toTokenResponse } from './auth.mapper';
import { AcceptedResponseDto } from './dto/accepted-response.dto';
import { EmailRequestDto } from './dto/email-request.dto';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenDto } from './dto/token.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { LoginService } from './login.service';
import { RegistrationService } from './registration.service';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly logins: LoginService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('register')
  @Public()
  @RateLimited()
  @ApiOperation({ summary: 'Create an account; a verification link is emailed' })
  @ApiResponse({ status: 201, type: UserResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED, or AUTH.PASSWORD_POLICY naming each broken rule in `errors`')
  @ApiProblem(409, 'AUTH.EMAIL_TAKEN: the email (in any case) already has an account')
  async register(@Body() body: RegisterDto, @Client() client: ClientContext): Promise<UserResponseDto> {
    return toUserResponse(await this.registration.register(body, client));
  }

  @Post('verify-email')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm an email address with the token from the verification mail' })
  @ApiResponse({ status: 200, type: UserResponseDto })
  @ApiProblem(400, 'AUTH.VERIFICATION_TOKEN_INVALID: unknown, used, replaced or expired token')
  async verifyEmail(@Body() body: TokenDto, @Client() client: ClientContext): Promise<UserResponseDto> {
    return toUserResponse(await this.registration.verifyEmail(body.token, client));
  }

  @Post('verification-emails')
  @Public()
  @RateLimited()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a new verification link (the answer never says whether the account exists)' })
  @ApiResponse({ status: 202, type: AcceptedResponseDto })
  async resendVerification(@Body() body: EmailRequestDto): Promise<AcceptedResponseDto> {
    await this.registration.resendVerification(body.email);
    return { status: 'accepted' };
  }

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
