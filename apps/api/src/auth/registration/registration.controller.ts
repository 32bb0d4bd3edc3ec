import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../../common/decorators/client-context.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { RateLimited } from '../../infra/rate-limit/rate-limited.decorator';
import { UserResponseDto } from '../../users/dto/user-response.dto';
import { toUserResponse } from '../../users/user.mapper';
import { AcceptedResponseDto } from '../dto/accepted-response.dto';
import { EmailRequestDto } from '../dto/email-request.dto';
import { RegisterDto } from '../dto/register.dto';
import { TokenDto } from '../dto/token.dto';
import { RegistrationService } from './registration.service';

/** Sign-up and email verification. */
@ApiTags('auth')
@Controller('auth')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

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
  resendVerification(@Body() body: EmailRequestDto): AcceptedResponseDto {
    this.registration.resendVerification(body.email);
    return { status: 'accepted' };
  }
}
