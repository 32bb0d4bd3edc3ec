import type { AddressInfo } from 'node:net';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';

import { getConfig } from '@dashtam/config';
import { requestIdFrom } from '@dashtam/platform';

import { FaultInjector } from './faults/fault-injector';
import { type SandboxOptions, sandboxOptionsFromConfig } from './sandbox-options';
import { SandboxModule } from './sandbox.module';

const BODY_LIMIT_BYTES = 64 * 1024;
// Fixtures replay whole Trader-API answers (thousands of transactions); only that control gets more room.
const FIXTURES_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** The Sandbox application, not yet listening. main.ts and createSandboxApp both build it here. */
export async function buildSandboxApplication(options: SandboxOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    logger: false,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
    // Held ("timeout") and keep-alive connections must not keep close() waiting.
    forceCloseConnections: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(SandboxModule.forRoot(options), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const faults = app.get(FaultInjector);
  const fastify = app.getHttpAdapter().getInstance();
  // Routes are registered at init, after this hook: it sees them all.
  fastify.addHook('onRoute', (route) => {
    if (route.url === '/__sandbox/fixtures') route.bodyLimit = FIXTURES_BODY_LIMIT_BYTES;
  });
  // reset_after_commit: the handler has committed its state change; drop the answer with the connection.
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    if (faults.takeResetAfterCommit(request.raw)) request.raw.socket.destroy();
    done(null, payload);
  });
  return app;
}

export interface SandboxAppOverrides extends Partial<SandboxOptions> {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

export interface SandboxHandle {
  app: NestFastifyApplication;
  /** Base URL of the listening Sandbox, e.g. http://127.0.0.1:41234 */
  url: string;
  options: SandboxOptions;
  close: () => Promise<void>;
}

/**
 * Starts a Sandbox in this process on a loopback port: options from validated config, then the
 * overrides. For tests (the api's Schwab client tests too); production code never imports it.
 */
export async function createSandboxApp(overrides: SandboxAppOverrides = {}): Promise<SandboxHandle> {
  const { host = '127.0.0.1', port = 0, ...rest } = overrides;
  const options: SandboxOptions = { ...sandboxOptionsFromConfig(getConfig()), ...rest };
  const app = await buildSandboxApplication(options);
  await app.listen(port, host);
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://${host}:${address.port}`, options, close: () => app.close() };
}
