import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startApp } from '@dashtam/platform';

import { AppModule } from './app.module';
import { configureApp, createAdapter } from './configure-app';

startApp<NestFastifyApplication>({
  name: 'api',
  tls: (config) => config.app.tls,
  host: (config) => config.app.host,
  port: (config) => config.app.port,
  create: async (config, https) => {
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config),
      createAdapter(config, https),
      {
        bufferLogs: true,
      },
    );
    return configureApp(app, config);
  },
});
