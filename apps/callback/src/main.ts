import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import { getConfig } from '@dashtam/config';
import { startApp } from '@dashtam/platform';

import { CallbackModule } from './callback.module';

startApp<NestFastifyApplication>({
  name: 'callback',
  tls: getConfig().callback.tls,
  host: (config) => config.callback.host,
  port: (config) => config.callback.port,
  create: async (_config, https) => {
    const adapter = new FastifyAdapter(https ? ({ https } as ConstructorParameters<typeof FastifyAdapter>[0]) : {});
    const app = await NestFactory.create<NestFastifyApplication>(CallbackModule, adapter as FastifyAdapter, {
      bufferLogs: true,
    });
    app.useLogger(app.get(Logger));
    return app;
  },
});
