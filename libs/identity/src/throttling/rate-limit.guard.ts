import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Routes that are never limited: health probes and the Prometheus scrape must answer however busy the
 * caller's IP is. (/docs and /docs-json are served by Fastify directly, outside Nest's guards.)
 */
const UNLIMITED = /^\/(health|metrics)(\/|$|\?)/;

/**
 * The global throttler guard. Registered as an APP_GUARD right after the authentication guard, so
 * that `request.user` is known and the caller is counted as itself rather than as its IP.
 * A refused request is a 429 `rate_limited` (the exception filter picks the envelope) with
 * `Retry-After` set to the seconds until the caller's oldest counted request leaves the window.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The matched route, not the raw URL (which the caller may percent-encode).
    return UNLIMITED.test(request.routeOptions?.url ?? '');
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire || detail.ttl / 1000));
    reply.header('retry-after', String(seconds));
    throw new ThrottlerException(await this.getErrorMessage(context, detail));
  }
}
