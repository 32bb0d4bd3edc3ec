// Entry point for the TypeORM CLI only (`npm run migration:revert`); `migration:run` is
// scripts/migration-run.ts, which takes the advisory lock the api takes at boot.
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';

import { buildDataSourceOptions } from './data-source-options';

export default new DataSource(buildDataSourceOptions(getConfig().database));
