import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '../config/environment';
import { DatabasePool } from './database-pool';
import { migrations } from './migrations';
import { Sql } from './sql';
import { UnitOfWork } from './unit-of-work';

/** Holds the one pool, so that TypeORM's factory and the providers below share it. */
@Global()
@Module({ providers: [DatabasePool], exports: [DatabasePool] })
class DatabasePoolModule {}

/**
 * The PostgreSQL connection (DATABASE_URL; the app's entry point starts the embedded server and
 * sets it when unset), pending migrations applied at start, never `synchronize`.
 */
@Global()
@Module({
  imports: [
    DatabasePoolModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabasePoolModule],
      inject: [ConfigService, DatabasePool],
      useFactory: (config: ConfigService<Environment, true>, pool: DatabasePool) => ({
        type: 'postgres' as const,
        driver: pool.driver(),
        url: config.get('DATABASE_URL', { infer: true }) as string,
        autoLoadEntities: true,
        synchronize: false,
        migrations,
        migrationsRun: true,
        migrationsTransactionMode: 'all' as const,
        installExtensions: false,
        // main.ts has reached the database once already (probeDatabase): a failure here is not a
        // server still starting, and nine retries with stack traces would only bury its message.
        toRetry: () => false,
        logging: config.get('DATABASE_LOGGING', { infer: true }) === 'true',
        extra: {
          max: 20,
          application_name: 'interview-service',
          // Fail fast instead of queueing forever: a pool that cannot hand out a connection within
          // 2 s (exhausted, or the database is down) errors, and the request answers 503.
          connectionTimeoutMillis: 2000,
          // No statement may hold a connection (and its locks) for more than 5 s.
          statement_timeout: 5000,
          idle_in_transaction_session_timeout: 10000,
        },
      }),
    }),
  ],
  providers: [Sql, { provide: UnitOfWork, useExisting: Sql }],
  exports: [Sql, UnitOfWork, DatabasePoolModule],
})
export class DatabaseModule {}
