import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CommandMetrics } from './command-metrics';
import { DatabaseMetrics } from './database-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';

/**
 * GET /metrics (public) in the Prometheus text format, from one registry this module owns:
 * HTTP request durations, command durations and outcomes, the database pool, the event relay's
 * lag and the default process metrics. Import it in an HTTP app after PlatformModule.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, HttpMetrics, CommandMetrics, DatabaseMetrics],
  exports: [MetricsRegistry],
})
export class ObservabilityModule {}
