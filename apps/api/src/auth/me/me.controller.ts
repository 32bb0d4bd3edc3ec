import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblem } from '../../common/decorators/api-problem.decorator';
import { Client, type ClientContext } from '../../common/decorators/client-context.decorator';
import { CurrentUser, type AuthUser } from '../../common/decorators/current-user.decorator';
import { AppError } from '../../common/errors';
import { RateLimited } from '../../infra/rate-limit/rate-limited.decorator';
import { UpdateUserDto } from '../../users/dto/update-user.dto';
import { UserResponseDto } from '../../users/dto/user-response.dto';
import { toUserResponse } from '../../users/user.mapper';
import { UsersRepository } from '../../users/users.repository';
import { AccountService } from './account.service';
import { ChangePasswordDto } from '../dto/change-password.dto';

@ApiTags('auth')
@ApiProblem(401, 'Missing, invalid or expired access token, or an ended session')
@Controller('auth/me')
export class MeController {
  constructor(
    private readonly users: UsersRepository,
    private readonly account: AccountService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiResponse({ status: 200, type: UserResponseDto })
  async me(@CurrentUser() caller: AuthUser): Promise<UserResponseDto> {
    return toUserResponse(await this.load(caller.id));
  }

  @Patch()
  @ApiOperation({ summary: "Change the signed-in user's profile" })
  @ApiResponse({ status: 200, type: UserResponseDto })
  @ApiProblem(400, 'VALIDATION.FAILED')
  async update(@CurrentUser() caller: AuthUser, @Body() body: UpdateUserDto): Promise<UserResponseDto> {
    if (body.name !== undefined) await this.users.updateName(caller.id, body.name);
    return toUserResponse(await this.load(caller.id));
  }

  @Post('password')
  @RateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Change the password; every other session ends' })
  @ApiResponse({ status: 204 })
  @ApiProblem(400, 'AUTH.CURRENT_PASSWORD_INVALID, AUTH.PASSWORD_POLICY or VALIDATION.FAILED')
  async changePassword(
    @CurrentUser() caller: AuthUser,
    @Body() body: ChangePasswordDto,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.account.changePassword(caller, body.current_password, body.new_password, client);
  }

  private async load(id: string) {
    const user = await this.users.findById(id);
    // The guard saw a live session a moment ago; a user deleted since is signed out.
    if (!user) throw new AppError('AUTH.SESSION_REVOKED', 'The session has ended; sign in again');
    return user;
  }
}
