import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { appConfig, type AppConfig } from '@dashtam/config';

import { Public } from './common/decorators/public.decorator';

@ApiTags('meta')
@Public()
@Controller()
export class AppController {
  constructor(@Inject(appConfig.KEY) private readonly app: AppConfig) {}

  // Name and version only: which environment runs (or anything about the deployment) is nobody's business.
  @Get()
  root(): { name: string; version: string } {
    return { name: this.app.name, version: this.app.version };
  }
}
