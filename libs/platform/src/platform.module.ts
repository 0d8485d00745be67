import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { ClockModule } from './clock';
import { PlatformConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { loggingParams } from './observability/logging';
import { IdempotencyLedger, IdempotentAnswers } from './idempotency/idempotency.guard';
import { RequestLog } from './observability/request-log';

/**
 * Configuration, logging, the clock and the database: what every process of the service needs.
 * Global for the idempotency ledger, which use cases of every context write to.
 */
@Global()
@Module({
  imports: [
    PlatformConfigModule,
    ClockModule,
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      // JSON lines to stdout (pretty on a terminal), or appended to LOG_FILE when it is set.
      useFactory: (config: ConfigService<Environment, true>) =>
        loggingParams({ level: config.get('LOG_LEVEL', { infer: true }), file: process.env.LOG_FILE || undefined }),
    }),
    DatabaseModule,
  ],
  providers: [RequestLog, IdempotentAnswers, IdempotencyLedger],
  exports: [IdempotencyLedger],
})
export class PlatformModule {}
