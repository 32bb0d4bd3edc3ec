import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';

import { databaseConfig, type DatabaseConfig } from '@dashtam/config';

import { buildDataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migration-runner';

// The injected config's migrationsRun travels with the options to dataSourceFactory, which gets no
// injection of its own; TypeORM's own `migrationsRun` stays false because it would migrate unlocked.
const MIGRATE_AT_BOOT = Symbol('migrateAtBoot');
type BootOptions = DataSourceOptions & { [MIGRATE_AT_BOOT]?: boolean };

/** The api's DataSource; when configured (development, production) it migrates before anyone queries. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig): BootOptions => ({
        ...buildDataSourceOptions(config),
        [MIGRATE_AT_BOOT]: config.migrationsRun,
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        if ((options as BootOptions)[MIGRATE_AT_BOOT]) await runMigrationsLocked(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
