import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { fastifyOf } from '../http/fastify-of';

/**
 * One JSON line per request, written from Fastify's own hooks: when the response is sent, the
 * request (id, method, URL, headers — credentials redacted by the logger's paths), the status, the
 * duration, the route pattern and the principal. A line about a failed request names its
 * `requestId` itself (the exception filter). There is no request context in AsyncLocalStorage
 * (nestjs-pino's `runInContext`): on Node 20 that turns promise hooks on for every promise of every
 * request, about 5 % of a read's CPU in `npm run bench`, for a binding only the in-process event
 * line used; that line names its interview, type and actor instead.
 *
 * This replaces nestjs-pino's pino-http middleware, which Nest runs on Fastify through
 * @fastify/middie: that path (a child logger with the serialized request bound to it, response
 * listeners, the middleware layers) cost a third of a read's CPU; these two hooks write the same line.
 */

/** What platform needs of identity's principal, read structurally (platform does not import identity). */
interface PrincipalLike {
  type?: unknown;
  id?: unknown;
  role?: unknown;
}

export interface RequestLogFields {
  route: string | null;
  principal?: { type: string; id: string; role?: string };
}

/** The route pattern (never the raw URL) and who called, for the request's log line. */
export function requestLogFields(request: FastifyRequest): RequestLogFields {
  const fields: RequestLogFields = { route: request.routeOptions?.url ?? null };
  const principal = (request as { user?: PrincipalLike }).user;
  if (principal && (typeof principal.id === 'string' || typeof principal.id === 'number')) {
    fields.principal = { type: String(principal.type), id: String(principal.id) };
    if (typeof principal.role === 'string') fields.principal.role = principal.role;
  }
  return fields;
}

/** The line pino-http wrote, key for key (the raw request and response go through its serializers). */
function requestLine(request: FastifyRequest, reply: FastifyReply) {
  return { requestId: request.id, req: request.raw, res: reply.raw, responseTime: Math.round(reply.elapsedTime), ...requestLogFields(request) };
}

/** Registers the hooks on the Fastify instance of an HTTP app; a no-op in a process without HTTP (the worker). */
@Injectable()
export class RequestLog implements OnModuleInit {
  private readonly logger = new Logger(RequestLog.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = fastifyOf(this.adapterHost);
    if (!fastify) return;
    try {
      fastify.addHook('onResponse', (request, reply, done) => {
        const root = PinoLogger.root;
        if (reply.statusCode >= 500) root.error(requestLine(request, reply), 'request errored');
        else root.info(requestLine(request, reply), 'request completed');
        done();
      });
    } catch (error) {
      this.logger.warn(`request logging not installed: ${(error as Error).message}`);
    }
  }
}
