import { Module } from '@nestjs/common';

import { BackgroundTasksService } from './background-tasks.service';

@Module({ providers: [BackgroundTasksService], exports: [BackgroundTasksService] })
export class BackgroundModule {}
