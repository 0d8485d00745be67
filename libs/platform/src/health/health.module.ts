import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from './health.controller';

/**
 * /health/live and /health/ready. Readiness always checks the database; the app adds the checks
 * of what it runs (the broker, when configured) from the modules that own them.
 */
@Module({})
export class HealthModule {
  static register(options: { imports?: ModuleMetadata['imports']; readiness?: Type<ReadinessCheck>[] } = {}): DynamicModule {
    const readiness = options.readiness ?? [];
    return {
      module: HealthModule,
      imports: [TerminusModule, ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, inject: readiness, useFactory: (...checks: ReadinessCheck[]) => checks }],
    };
  }
}
