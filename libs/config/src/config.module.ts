import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';

import { ALL_NAMESPACES } from './namespaces';

/** Validated, typed configuration for every app. Inject a namespace with `@Inject(databaseConfig.KEY)`. */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: ALL_NAMESPACES })],
})
export class DashtamConfigModule {}
