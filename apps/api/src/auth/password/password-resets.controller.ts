import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../../common/decorators/client-context.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { RateLimited } from '../../infra/rate-limit/rate-limited.decorator';
import { AcceptedResponseDto } from '../dto/accepted-response.dto';
import { CompletePasswordResetDto } from '../dto/complete-password-reset.dto';
import { EmailRequestDto } from '../dto/email-request.dto';
import { PasswordResetStatusDto } from '../dto/password-reset-status.dto';
import { TokenDto } from '../dto/token.dto';
import { PasswordResetService } from './password-reset.service';

@ApiTags('auth')
@Public()
@RateLimited()
@Controller('password-resets')
export class PasswordResetsController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a reset link (the answer never says whether the account exists)' })
  @ApiResponse({ status: 202, type: AcceptedResponseDto })
  request(@Body() body: EmailRequestDto, @Client() client: ClientContext): AcceptedResponseDto {
    this.resets.request(body.email, client);
    return { status: 'accepted' };
  }

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Whether a reset token can still be used (it is not consumed)' })
  @ApiResponse({ status: 200, type: PasswordResetStatusDto })
  async verify(@Body() body: TokenDto): Promise<PasswordResetStatusDto> {
    const status = await this.resets.check(body.token);
    return { valid: status.valid, expires_at: status.expiresAt ? status.expiresAt.toISOString() : null };
  }

  @Post('complete')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password with a reset token; every session ends' })
  @ApiResponse({ status: 204 })
  @ApiProblem(400, 'AUTH.RESET_TOKEN_INVALID, AUTH.PASSWORD_POLICY or VALIDATION.FAILED')
  async complete(@Body() body: CompletePasswordResetDto, @Client() client: ClientContext): Promise<void> {
    await this.resets.complete(body.token, body.new_password, client);
  }
}
