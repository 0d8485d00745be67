import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The app's own Prometheus registry (not prom-client's global one), so several app instances in
 * one process (the tests) each count their own. Holds the default process metrics too.
 */
@Injectable()
export class MetricsRegistry extends Registry implements OnModuleDestroy {
  constructor() {
    super();
    collectDefaultMetrics({ register: this });
  }

  onModuleDestroy(): void {
    this.clear();
  }
}
