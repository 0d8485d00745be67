import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Environment, RetentionRule } from '#platform';

/**
 * Delivered and failed webhook deliveries older than WEBHOOK_DELIVERY_RETENTION_DAYS, both since
 * they were made and since anything last happened to them (a delivery queued again and sent
 * yesterday stays). Never a pending one: that is work still to do. Fan-out never makes a removed
 * delivery again: a subscription's position has passed its event. The index
 * webhook_deliveries_finished_idx serves the search.
 */
@RetentionRule()
@Injectable()
export class WebhookDeliveriesRetention implements RetentionRule {
  readonly table = 'webhook_deliveries';
  private readonly days: number;

  constructor(config: ConfigService<Environment, true>) {
    this.days = config.get('WEBHOOK_DELIVERY_RETENTION_DAYS', { infer: true });
  }

  expired() {
    return {
      where: `status IN ('delivered', 'failed') AND created_at < now() - make_interval(days => $1::int)
              AND coalesce(delivered_at, last_attempt_at, created_at) < now() - make_interval(days => $1::int)`,
      params: [this.days],
    };
  }
}
