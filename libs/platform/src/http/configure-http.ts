import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { errorCodes as fastifyErrors, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { errorBody, isPublicApiPath } from './error-response';
import { decisionPath, decodedPath } from './matched-route';
import { createValidationPipe } from './validation';

export const BODY_LIMIT_BYTES = 100 * 1024;
/** `Cache-Control` of every answer unless its route sets another. */
export const NO_STORE = 'no-store';
const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The caller's x-request-id when it is sane, else a fresh UUID; also kept on the raw request for pino-http. */
function requestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** How long a caller may take (API.md "Protocol details": headers within 10 s, a body within 30 s). */
export interface HttpTimeouts {
  /** Headers must have arrived this many ms after the connection's request began (408 otherwise). */
  headersMs: number;
  /** The whole request, body included (408 otherwise). */
  requestMs: number;
  /** An idle kept-alive connection is closed after this (above the usual 60 s of load balancers). */
  keepAliveMs: number;
  /** A socket on which no byte moves either way for this long is destroyed. */
  idleMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 65_000, idleMs: 120_000 };

export function createFastifyAdapter(timeouts: Partial<HttpTimeouts> = {}): FastifyAdapter {
  const limits = { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts };
  // Node refuses headersTimeout > requestTimeout; and it enforces both only when it sweeps its
  // connections (every 30 s by default), so the sweep runs often enough for the bound to hold.
  const headersMs = Math.min(limits.headersMs, limits.requestMs);
  return new FastifyAdapter({
    requestTimeout: limits.requestMs,
    keepAliveTimeout: limits.keepAliveMs,
    connectionTimeout: limits.idleMs,
    http: { headersTimeout: headersMs, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersMs / 4))) },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestId,
    requestIdHeader: false,
    logger: false,
    trustProxy: false,
    routerOptions: { maxParamLength: 200 },
    // A URL Fastify cannot route (bad percent-encoding, an over-long path parameter) is answered
    // before any hook runs: give it the same envelope and headers as every other answer.
    frameworkErrors: (error: { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      const message = error.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid' : 'a path parameter is too long';
      void reply
        .status(400)
        .headers({ ...SECURITY_HEADERS, 'x-request-id': request.id, 'cache-control': NO_STORE, 'content-type': 'application/json; charset=utf-8' })
        .send(errorBody({ status: 400, code: 'validation_failed', message }, decodedPath(request.url)));
    },
  });
}

/**
 * helmet's security headers (the seed's five among them), worked out once: none depends on the
 * request, so helmet runs at start-up against a response that records them, and every answer gets
 * the result in one call — instead of @fastify/helmet's two hooks re-running helmet per request.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const recorder = { setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value), removeHeader: () => undefined };
  helmet({
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'sameorigin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xssFilter: true,
    permittedCrossDomainPolicies: { permittedPolicies: 'none' },
  })({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
})();

/** Everything HTTP that both the entry point and the test harness need, in one place. */
export async function configureHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  takeOnlyJsonBodies(app);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', request.id);
    // The default of every answer (issue 15, item 10): tokens, keys and secrets shown once, users and
    // interviews are for the caller only, so no cache (browser, proxy, CDN) may keep them. Set here,
    // first, so that a route with an answer worth caching can still set its own (Swagger UI's assets).
    reply.header('cache-control', NO_STORE);
    // By the matched route, not the raw URL (`/%69nterview/1` is the public API too).
    if (isPublicApiPath(decisionPath(request))) {
      // micro1's documented CORS headers, on every answer of the public API (errors included).
      const origin = request.headers.origin;
      reply.header('access-control-allow-origin', typeof origin === 'string' && origin ? origin : '*');
      reply.header('access-control-allow-credentials', 'true');
      if (origin) reply.header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        await reply
          .header('access-control-allow-methods', 'GET, PUT, POST, DELETE, OPTIONS')
          .header('access-control-allow-headers', 'content-type, x-api-key, idempotency-key, x-request-id')
          .header('access-control-max-age', '600')
          .status(204)
          .send();
      }
    }
  });

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  setUpSwagger(app);
}

/**
 * The body parsers ("Protocol details"): JSON only. An empty body is no body whatever its
 * Content-Type says (clients send `Content-Type: application/json` on every request); any other
 * body that is not `application/json` is a 415, in the envelope of the route's API. Fastify's own
 * text/plain parser and Nest's form-encoded one are removed; the catch-all, registered through
 * Nest's useBodyParser, also tells Nest not to add its form parser at init.
 */
function takeOnlyJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    json(request, body.toString('utf8'), done);
  });
  app.useBodyParser('*', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    done(new fastifyErrors.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']), undefined);
  });
}

/** The OpenAPI document of the app (also what `npm run openapi` writes to docs/openapi.json). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Interview service')
    .setDescription(
      'Interviews between interviewers and drivers: scheduling, amendments, the AI-interview configuration ' +
        'and the domain events of every change. Sign in with POST /api/v1/auth/sign_in, then Authorize with the token.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header', description: 'An API key made by an admin' }, 'apiKey')
    .build();
  return withProtocolAnswers(SwaggerModule.createDocument(app, config));
}

type Operation = { requestBody?: unknown; responses: Record<string, unknown> };

/**
 * Answers every route can give by the platform's own rules, added in one place rather than on
 * each route: 413 and 415 where a body is taken, the Idempotency-Key answers (400, 409, 422) on
 * every mutating route, and 429/500 on the public routes, in the envelope of the route's API.
 */
function withProtocolAnswers(document: OpenAPIObject): OpenAPIObject {
  const userError = { $ref: '#/components/schemas/ErrorEnvelope' };
  const publicError = {
    type: 'object',
    properties: { status: { type: 'boolean', example: false }, message: { type: 'string' } },
    required: ['status'],
  };
  for (const [path, methods] of Object.entries(document.paths)) {
    const isPublic = isPublicApiPath(path);
    for (const [method, op] of Object.entries(methods as Record<string, Operation>)) {
      if (!op?.responses) continue;
      const add = (status: string, description: string) => {
        if (op.responses[status]) return;
        op.responses[status] = { description, content: { 'application/json': { schema: isPublic ? publicError : userError } } };
      };
      if (op.requestBody) {
        add('413', 'payload_too_large: body over 100 kB');
        add('415', 'unsupported_media_type: the body must be application/json');
      }
      if (['post', 'put', 'patch', 'delete'].includes(method)) {
        add('400', 'validation_failed: the input (or the Idempotency-Key header) is wrong');
        add('409', 'idempotency_in_progress: a request with this Idempotency-Key is still running');
        add('422', 'idempotency_key_reused: this Idempotency-Key came with another body');
      }
      if (isPublic) {
        add('429', 'Too many requests; Retry-After says when to try again');
        add('500', 'Internal Server Error: {"status": false}');
      }
    }
  }
  return document;
}

function setUpSwagger(app: INestApplication): void {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
