import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { databaseConfig, type DatabaseConfig } from '@dashtam/config';

import { buildDataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migration-runner';

/** The api's DataSource; when configured (development, production) it migrates before anyone queries. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => buildDataSourceOptions(config),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const config = databaseConfig();
        if (config.migrationsRun) await runMigrationsLocked(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
