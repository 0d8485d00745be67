import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * The Fastify instance behind the app, if the app has HTTP and it is Fastify: where the pieces that
 * hook into Fastify directly (request log, request metrics, idempotent answers) register, and
 * why they are no-ops in a process without HTTP (the worker, the CLI).
 */
export function fastifyOf(adapterHost: HttpAdapterHost | undefined): FastifyInstance | undefined {
  const instance = adapterHost?.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
  return instance && typeof instance.addHook === 'function' ? instance : undefined;
}
