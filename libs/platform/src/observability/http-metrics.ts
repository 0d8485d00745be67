import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';
import { fastifyOf } from '../http/fastify-of';

export const UNMATCHED_ROUTE = 'unmatched';

/** `http_request_duration_seconds{method, route, status_code}`: route is the pattern, never the raw URL. */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  private readonly logger = new Logger(HttpMetrics.name);
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(
    registry: MetricsRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    const fastify = fastifyOf(this.adapterHost);
    if (!fastify) return;
    try {
      fastify.addHook('onResponse', (request, reply, done) => {
        this.duration.observe(
          { method: request.method, route: request.routeOptions?.url ?? UNMATCHED_ROUTE, status_code: String(reply.statusCode) },
          reply.elapsedTime / 1000,
        );
        done();
      });
    } catch (error) {
      this.logger.warn(`HTTP metrics not installed: ${(error as Error).message}`);
    }
  }
}
