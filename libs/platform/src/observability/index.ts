export { ObservabilityModule } from './observability.module';
export { MetricsRegistry } from './metrics-registry';
export { MetricsRegistryModule } from './metrics-registry.module';
export { loggingParams, REDACTED_PATHS, type LoggingOptions } from './logging';
export { RequestLog } from './request-log';
