import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../http/public.decorator';
import { ShutdownState } from './shutdown-state';

/** A dependency readiness depends on; `configured: false` leaves it out. */
export interface ReadinessCheck {
  readonly configured: boolean;
  check(): Promise<HealthIndicatorResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database (and the broker, when configured) answer, and the process is not draining' })
  @HealthCheck()
  ready() {
    if (this.shutdown.draining) {
      // Terminus's shape, so that probes read it like any other failed check.
      const shutdown = { status: 'down', message: 'draining before exit' };
      throw new ServiceUnavailableException({ status: 'error', info: {}, error: { shutdown }, details: { shutdown } });
    }
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2000 }),
      ...this.checks.filter((c) => c.configured).map((c) => () => c.check()),
    ]);
  }
}
