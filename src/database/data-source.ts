import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';

const MIGRATIONS_GLOB = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations', '*.js');

/** One definition of the connection, shared by the app and the migration CLI. Never `synchronize`. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: config.databasePoolSize,
      connectionTimeoutMillis: 5000,
      application_name: `payment-gateway-${config.role}`,
    },
  };
}
