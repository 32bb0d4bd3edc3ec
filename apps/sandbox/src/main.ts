import 'reflect-metadata';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { startApp } from '@dashtam/platform';

import { buildSandboxApplication } from './sandbox-app';
import { sandboxOptionsFromConfig } from './sandbox-options';

startApp<NestFastifyApplication>({
  name: 'sandbox',
  tls: () => false,
  host: (config) => config.sandbox.host,
  port: (config) => config.sandbox.port,
  create: (config) => buildSandboxApplication(sandboxOptionsFromConfig(config)),
});
