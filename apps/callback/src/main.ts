import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startApp } from '@dashtam/platform';

import { configureCallbackApp, createCallbackAdapter } from './callback-app';
import { CallbackModule } from './callback.module';

startApp<NestFastifyApplication>({
  name: 'callback',
  tls: (config) => config.callback.tls,
  host: (config) => config.callback.host,
  port: (config) => config.callback.port,
  create: async (_config, https) =>
    configureCallbackApp(
      await NestFactory.create<NestFastifyApplication>(CallbackModule, createCallbackAdapter(https), {
        bufferLogs: true,
      }),
    ),
});
