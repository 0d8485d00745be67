import { ExecutionContext, Injectable } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
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
  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    // The stock guard asks the Reflector for six keys per named throttler on every request (a
    // reflect-metadata walk each: 16 µs of a read under the profiler, docs/BENCHMARKS.md). Route
    // metadata is fixed once the app is built, so the answers are kept per handler and class.
    (this as unknown as { reflector: Reflector }).reflector = rememberingReflector(this.reflector);
  }

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

/** A Reflector whose getAllAndOverride answers are kept per (handler, class, key): metadata never changes after start-up. */
function rememberingReflector(reflector: Reflector): Reflector {
  const answers = new WeakMap<object, WeakMap<object, Map<string, unknown>>>();
  const getAllAndOverride = (key: string, targets: [object, object]): unknown => {
    const [handler, classRef] = targets;
    let byClass = answers.get(handler);
    if (!byClass) answers.set(handler, (byClass = new WeakMap()));
    let byKey = byClass.get(classRef);
    if (!byKey) byClass.set(classRef, (byKey = new Map()));
    if (byKey.has(key)) return byKey.get(key);
    const answer = reflector.getAllAndOverride(key, targets as never);
    byKey.set(key, answer);
    return answer;
  };
  return Object.assign(Object.create(reflector) as Reflector, { getAllAndOverride });
}
