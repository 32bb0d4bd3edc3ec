// Runs outside Jest's module system, so the path aliases need registering here.
import 'tsconfig-paths/register';
import 'reflect-metadata';

import { ConsoleLogger, Logger } from '@nestjs/common';
import Redis from 'ioredis';

import { getConfig } from '@dashtam/config';
import { TestDbBootstrap } from '@dashtam/database';

/**
 * Jest global setup for the e2e tier: TestDbBootstrap (guards, drop, rebuild from entities) and an
 * empty test Redis index. Refuses to flush Redis index 0, the development index.
 */
export default async function globalSetup(): Promise<void> {
  // Colours only for a terminal: redirected to a file or a CI log, escape codes are noise.
  Logger.overrideLogger(new ConsoleLogger({ colors: process.stdout.isTTY === true }));
  process.env.TZ = 'UTC';
  const config = getConfig();
  const report = await new TestDbBootstrap(config.app, config.database).run();
  console.log(`\n[e2e] PostgreSQL database "${report.database}" rebuilt (${report.tables.length} tables)`);
  if (config.redis.url) {
    const index = Number(new URL(config.redis.url).pathname.slice(1) || '0');
    if (index === 0) throw new Error('refusing to flush Redis index 0 (development); tests use index 1 or higher');
    const redis = new Redis(config.redis.url, { lazyConnect: true });
    await redis.connect();
    await redis.flushdb();
    await redis.quit();
    console.log(`[e2e] Redis index ${index} flushed`);
  }
}
