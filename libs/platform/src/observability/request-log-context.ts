import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

/**
 * pino-http sees only the raw Node request; the route pattern and the authenticated principal
 * live on Fastify's request (the principal is put there as `request.user` by identity's guards).
 * An onRequest hook remembers which Fastify request wraps which raw one, so the request log line,
 * written when the response finishes, can carry both.
 */
const fastifyRequests = new WeakMap<IncomingMessage, FastifyRequest>();

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

export function rememberRequest(request: FastifyRequest): void {
  fastifyRequests.set(request.raw, request);
}

/** The route pattern (never the raw URL) and who called, for the request's log line. */
export function requestLogFields(raw: IncomingMessage): RequestLogFields {
  const request = fastifyRequests.get(raw);
  const fields: RequestLogFields = { route: request?.routeOptions?.url ?? null };
  const principal = (request as { user?: PrincipalLike } | undefined)?.user;
  if (principal && (typeof principal.id === 'string' || typeof principal.id === 'number')) {
    fields.principal = { type: String(principal.type), id: String(principal.id) };
    if (typeof principal.role === 'string') fields.principal.role = principal.role;
  }
  return fields;
}

/** Registers the hook on the Fastify instance of an HTTP app; a no-op in a process without HTTP (the worker). */
@Injectable()
export class RequestLogContext implements OnModuleInit {
  private readonly logger = new Logger(RequestLogContext.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = fastifyOf(this.adapterHost);
    if (!fastify) return;
    try {
      fastify.addHook('onRequest', (request, _reply, done) => {
        rememberRequest(request);
        done();
      });
    } catch (error) {
      this.logger.warn(`request log context not installed: ${(error as Error).message}`);
    }
  }
}

/** The Fastify instance behind the app, if the app has HTTP and it is Fastify. */
export function fastifyOf(adapterHost: HttpAdapterHost | undefined): FastifyInstance | undefined {
  const instance = adapterHost?.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
  return instance && typeof instance.addHook === 'function' ? instance : undefined;
}
