import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '../config/environment';
import { migrations } from './migrations';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work';
import { UnitOfWork } from './unit-of-work';

/**
 * The PostgreSQL connection (DATABASE_URL; the app's entry point starts the embedded server and
 * sets it when unset), pending migrations applied at start, never `synchronize`.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        type: 'postgres' as const,
        url: config.get('DATABASE_URL', { infer: true }) as string,
        autoLoadEntities: true,
        synchronize: false,
        migrations,
        migrationsRun: true,
        migrationsTransactionMode: 'all' as const,
        installExtensions: false,
        logging: config.get('DATABASE_LOGGING', { infer: true }) === 'true',
        extra: { max: 20, application_name: 'interview-service' },
      }),
    }),
  ],
  providers: [TypeOrmUnitOfWork, { provide: UnitOfWork, useExisting: TypeOrmUnitOfWork }],
  exports: [TypeOrmUnitOfWork, UnitOfWork],
})
export class DatabaseModule {}
