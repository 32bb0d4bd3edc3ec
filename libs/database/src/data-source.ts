// Entry point for the TypeORM CLI only (migration:run / migration:revert / migration:generate).
import 'reflect-metadata';

import { DataSource } from 'typeorm';

import { getConfig } from '@dashtam/config';

import { buildDataSourceOptions } from './data-source-options';

export default new DataSource(buildDataSourceOptions(getConfig().database));
