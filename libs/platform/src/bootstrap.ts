import type { INestApplication } from '@nestjs/common';

import { ConfigValidationError, type DashtamConfig, getConfig } from '@dashtam/config';

import { ensureDevCertificates, type HttpsOptions, loadHttpsOptions } from './tls';

export interface StartOptions<T extends INestApplication> {
  name: string;
  /** Read from the validated config, so an invalid configuration is reported before anything reads it. */
  tls: (config: DashtamConfig) => boolean;
  host: (config: DashtamConfig) => string;
  port: (config: DashtamConfig) => number;
  create: (config: DashtamConfig, https: HttpsOptions | undefined) => Promise<T>;
}

/**
 * The one way a Dashtam process starts: validated config (one line per problem, then exit 1),
 * development certificates when TLS is on and none exist, listen, and a hard deadline on shutdown.
 */
export function startApp<T extends INestApplication>(options: StartOptions<T>): void {
  const run = async (): Promise<void> => {
    const config = getConfig();
    let https: HttpsOptions | undefined;
    if (options.tls(config)) {
      await ensureDevCertificates(config.tls, config.app.environment);
      https = await loadHttpsOptions(config.tls);
    }
    const app = await options.create(config, https);
    app.enableShutdownHooks();
    await app.listen(options.port(config), options.host(config));
    const deadline = (): void => {
      setTimeout(() => process.exit(1), config.app.shutdownTimeoutMs).unref();
    };
    process.once('SIGTERM', deadline);
    process.once('SIGINT', deadline);
  };
  run().catch((error: unknown) => {
    if (error instanceof ConfigValidationError) console.error(error.message);
    else
      console.error(
        `${options.name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    process.exit(1);
  });
}
