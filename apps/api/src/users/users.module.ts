import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { UserEntity } from '@dashtam/database';

import { UsersRepository } from './users.repository';

/** User records. The HTTP surface for them (/auth/me, registration) lives in the auth module. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity])],
  providers: [UsersRepository],
  exports: [UsersRepository],
})
export class UsersModule {}
