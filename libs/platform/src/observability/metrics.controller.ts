import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Environment } from '../config/environment';
import { NotFoundError } from '../errors/domain-error';
import { ErrorEnvelope } from '../http/api-errors.decorator';
import { Public } from '../http/public.decorator';
import { MetricsRegistry } from './metrics-registry';

/** Longer than any token METRICS_TOKEN allows, with room for the scheme; longer headers are not read. */
const MAX_AUTHORIZATION_LENGTH = 1024;
/** Anchored, no two quantifiers competing for the same characters: linear in the header's length. */
const BEARER = /^Bearer +(\S+) *$/i;

/** The refusals are JSON (the error envelope), unlike the text the route produces. */
const JSON_ERROR = { 'application/json': { schema: { $ref: getSchemaPath(ErrorEnvelope) } } };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Who may scrape (issue 15, item 9): with METRICS_TOKEN set, only `Authorization: Bearer <token>`,
 * compared in constant time (SHA-256 of both, so that neither the length nor a prefix leaks through
 * the timing); anything else is a 401. Without it the metrics are open in development and test,
 * and in production there are none: 404, as if the route did not exist (they name routes, commands
 * and the relay's state, which is nobody's business on a public port).
 */
export class MetricsAccess {
  private readonly expected: Buffer | null;

  constructor(
    token: string | undefined,
    private readonly production: boolean,
  ) {
    this.expected = token ? digest(token) : null;
  }

  /** Throws the refusal, or returns when the caller may read the metrics. */
  check(authorization: string | undefined): void {
    if (!this.expected) {
      if (this.production) throw new NotFoundError('not found');
      return;
    }
    const given = typeof authorization === 'string' && authorization.length <= MAX_AUTHORIZATION_LENGTH ? BEARER.exec(authorization)?.[1] : undefined;
    // Digest a dummy when nothing was given, so a refusal takes the same time either way.
    const candidate = digest(given ?? '');
    if (!timingSafeEqual(candidate, this.expected) || given === undefined) throw new UnauthorizedException();
  }
}

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly access: MetricsAccess;

  constructor(
    private readonly registry: MetricsRegistry,
    config: ConfigService<Environment, true>,
  ) {
    this.access = new MetricsAccess(config.get('METRICS_TOKEN', { infer: true }), config.get('NODE_ENV', { infer: true }) === 'production');
  }

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: HTTP, commands, database pool, event relay lag, process',
    description:
      'With METRICS_TOKEN set, send `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). ' +
      'Without it: open in development and test, 404 in production.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The Prometheus text exposition format', schema: { type: 'string' } })
  @ApiExtraModels(ErrorEnvelope)
  @ApiResponse({ status: 401, description: 'unauthenticated: METRICS_TOKEN is set and the request does not carry it', content: JSON_ERROR })
  @ApiResponse({ status: 404, description: 'not_found: production without METRICS_TOKEN serves no metrics', content: JSON_ERROR })
  async metrics(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    try {
      this.access.check(authorization);
    } catch (error) {
      if (error instanceof UnauthorizedException) reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw error;
    }
    reply.header('content-type', this.registry.contentType);
    reply.header('cache-control', 'no-store');
    return this.registry.metrics();
  }
}
