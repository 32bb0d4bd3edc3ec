// `npm run db:test:bootstrap`: TestDbBootstrap as a script. One line on refusal, non-zero exit.
import 'reflect-metadata';

import { ConsoleLogger, Logger } from '@nestjs/common';

import { ConfigValidationError, getConfig } from '@dashtam/config';

import { TestDbBootstrap, TestDbRefusedError } from './test-db-bootstrap';

// Colours only for a terminal: redirected to a file or a CI log, escape codes are noise.
Logger.overrideLogger(new ConsoleLogger({ colors: process.stdout.isTTY === true }));

async function main(): Promise<void> {
  const config = getConfig();
  const report = await new TestDbBootstrap(config.app, config.database).run();
  console.log(`test database "${report.database}" rebuilt: ${report.tables.join(', ')}`);
}

main().catch((error: unknown) => {
  if (error instanceof TestDbRefusedError) console.error(error.message);
  else if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error(`TestDbBootstrap failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
