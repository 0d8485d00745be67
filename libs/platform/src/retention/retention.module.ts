import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsRegistryModule } from '../observability/metrics-registry.module';
import { IdempotencyKeysRetention } from './idempotency-keys.retention';
import { RetentionJob } from './retention.job';

/**
 * The retention job (RetentionJob) for a process that runs the relay: import it in the worker and
 * in the API (where it runs only with RELAY=inline). The rules come from the modules that own the
 * tables (`@RetentionRule()` providers: identity's revoked tokens, events' webhook deliveries);
 * platform's own table, idempotency_keys, has its rule here.
 */
@Module({
  imports: [DiscoveryModule, MetricsRegistryModule],
  providers: [RetentionJob, IdempotencyKeysRetention],
  exports: [RetentionJob],
})
export class RetentionModule {}
