import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { RetentionRule } from './retention-rule';

/**
 * Idempotency keys (they hold the stored answers, bodies included) older than IDEMPOTENCY_KEY_TTL
 * hours, by `created_at` (indexed). The guard honours a key for 24 hours and the setting cannot be
 * lower, so no key the guard would still replay is removed; past that, the guard itself deletes a
 * key only when the same key comes again, which most never do.
 */
@RetentionRule()
@Injectable()
export class IdempotencyKeysRetention implements RetentionRule {
  readonly table = 'idempotency_keys';
  private readonly hours: number;

  constructor(config: ConfigService<Environment, true>) {
    this.hours = config.get('IDEMPOTENCY_KEY_TTL', { infer: true });
  }

  expired() {
    return { where: 'created_at < now() - make_interval(hours => $1::int)', params: [this.hours] };
  }
}
