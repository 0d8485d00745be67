import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, READINESS_CHECKS, type ReadinessCheck } from './health.controller';
import { ShutdownState } from './shutdown-state';

export { ShutdownState } from './shutdown-state';

/**
 * /health/live and /health/ready. Readiness always checks the database; the app adds the checks
 * of what it runs (the broker, when configured) from the modules that own them. Once the process
 * drains (ShutdownState, on SIGTERM) readiness is 503 whatever the dependencies say.
 */
@Module({})
export class HealthModule {
  static register(options: { imports?: ModuleMetadata['imports']; readiness?: Type<ReadinessCheck>[] } = {}): DynamicModule {
    const readiness = options.readiness ?? [];
    return {
      module: HealthModule,
      imports: [TerminusModule, ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [ShutdownState, { provide: READINESS_CHECKS, inject: readiness, useFactory: (...checks: ReadinessCheck[]) => checks }],
      exports: [ShutdownState],
    };
  }
}
