import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { ClockModule } from './clock';
import { PlatformConfigModule } from './config/config.module';
import type { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';

/** Configuration, logging, the clock and the database: what every process of the service needs. */
@Module({
  imports: [
    PlatformConfigModule,
    ClockModule,
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          redact: {
            paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'res.headers.authorization'],
            censor: '[redacted]',
          },
          customProps: (req: { id?: unknown }) => ({ requestId: req.id }),
        },
      }),
    }),
    DatabaseModule,
  ],
})
export class PlatformModule {}
