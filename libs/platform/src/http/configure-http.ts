import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { isPublicApiPath } from './error-response';
import { createValidationPipe } from './validation';

export const BODY_LIMIT_BYTES = 100 * 1024;
const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The caller's x-request-id when it is sane, else a fresh UUID; also kept on the raw request for pino-http. */
function requestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestId,
    requestIdHeader: false,
    logger: false,
    trustProxy: false,
    routerOptions: { maxParamLength: 200 },
  });
}

/** Everything HTTP that both the entry point and the test harness need, in one place. */
export async function configureHttp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (isPublicApiPath(request.url)) {
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

  await app.register(helmet, {
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'sameorigin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xssFilter: true,
    permittedCrossDomainPolicies: { permittedPolicies: 'none' },
  });

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  setUpSwagger(app);
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
  return SwaggerModule.createDocument(app, config);
}

function setUpSwagger(app: INestApplication): void {
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
