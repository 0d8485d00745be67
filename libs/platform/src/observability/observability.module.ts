import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CommandMetrics } from './command-metrics';
import { DatabaseMetrics } from './database-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistryModule } from './metrics-registry.module';

/**
 * GET /metrics (public) in the Prometheus text format, from the app's one registry (MetricsRegistryModule):
 * HTTP request durations, command durations and outcomes, the database pool, the event relay's
 * lag, the retention job's counts and the default process metrics. Import it in an HTTP app after PlatformModule.
 */
@Module({
  imports: [DiscoveryModule, MetricsRegistryModule],
  controllers: [MetricsController],
  providers: [HttpMetrics, CommandMetrics, DatabaseMetrics],
  exports: [MetricsRegistryModule],
})
export class ObservabilityModule {}
