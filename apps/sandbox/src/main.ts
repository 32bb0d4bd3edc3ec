import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import { startApp } from '@dashtam/platform';

import { SandboxModule } from './sandbox.module';

startApp<NestFastifyApplication>({
  name: 'sandbox',
  tls: false,
  host: (config) => config.sandbox.host,
  port: (config) => config.sandbox.port,
  create: async () => {
    const app = await NestFactory.create<NestFastifyApplication>(SandboxModule, new FastifyAdapter(), {
      bufferLogs: true,
    });
    app.useLogger(app.get(Logger));
    return app;
  },
});
