import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from './common/secret-box.js';
import { AppConfig } from './config/app-config.js';
import { dataSourceOptions } from './database/data-source.js';
import { RedisService } from './common/redis.service.js';

/** Process-wide infrastructure: the validated config, the database connection, Redis, secrets. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(config), migrationsRun: false })],
      providers: [{ provide: AppConfig, useValue: config }, SecretBox, RedisService],
      exports: [AppConfig, SecretBox, RedisService],
    };
  }
}
