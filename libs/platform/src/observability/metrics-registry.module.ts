import { Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry';

/**
 * The app's one MetricsRegistry, for whatever registers metrics: ObservabilityModule (which serves
 * it at GET /metrics) and the processes without HTTP (the worker), whose metrics are then kept in
 * the same registry. Nest makes one instance of a module per app, so every importer shares it.
 */
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsRegistryModule {}
