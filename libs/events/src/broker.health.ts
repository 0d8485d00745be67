import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '#platform';
import { BrokerPublisher } from './relay/broker-publisher';

/** Readiness of RabbitMQ, when AMQP_URL is configured. */
@Injectable()
export class BrokerHealthIndicator implements ReadinessCheck {
  constructor(
    private readonly broker: BrokerPublisher,
    private readonly indicators: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return this.broker.configured;
  }

  async check(key = 'broker') {
    const indicator = this.indicators.check(key);
    try {
      await this.broker.check();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
