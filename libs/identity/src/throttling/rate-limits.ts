import type { ExecutionContext } from '@nestjs/common';
import { normalizeIp, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { AuthController } from '../http/auth.controller';
import { emailKey } from '../users/email-key';
import { MAX_EMAIL_LENGTH } from '../http/auth.dto';
import { SlidingWindowThrottlerStorage } from './sliding-window.storage';

/** The settings the limits read (Environment's THROTTLE_* variables). */
export interface RateLimitSettings {
  /** Requests per window, per principal or anonymous IP. */
  limit: number;
  /** The window, in seconds. */
  ttlSeconds: number;
  /** Sign-in attempts per window for one email from one IP. */
  signInLimit: number;
}

/** The throttler every route goes through: one budget per caller, shared by all its routes. */
export const GENERAL_THROTTLER = 'default';
/** The stricter one on POST /api/v1/auth/sign_in only. */
export const SIGN_IN_THROTTLER = 'sign_in';

type TrackedRequest = FastifyRequest & { user?: Principal; body?: unknown };

function clientIp(request: TrackedRequest): string {
  // The socket address (trustProxy is off); an IPv6 address counts per /64, as the throttler does.
  return normalizeIp(request.ip) ?? 'unknown';
}

/**
 * Who a request is counted against: the principal the authentication guard (which runs first) put on
 * `request.user`, else the client IP (routes marked @Public, like sign-in).
 */
export function principalTracker(request: TrackedRequest): string {
  const principal = request.user;
  if (principal?.type === 'user') return `user:${principal.id}`;
  if (principal?.type === 'api_key') return `api_key:${principal.id}`;
  return `ip:${clientIp(request)}`;
}

/**
 * Sign-in attempts are counted per email and IP, the email by `emailKey`: exactly the value the
 * lookup compares, so every spelling that reaches an account shares that account's budget. Cut at
 * 255 characters: a longer email never reaches the lookup (the body allows 254), so this merges no
 * two addresses that could sign in, and a 100 kB "email" does not become a 100 kB key in memory.
 */
export function signInTracker(request: TrackedRequest): string {
  const email = (request.body as { user?: { email?: unknown } } | undefined)?.user?.email;
  const key = typeof email === 'string' ? emailKey(email).slice(0, MAX_EMAIL_LENGTH + 1) : '';
  return `${key}|${clientIp(request)}`;
}

export function isSignIn(context: ExecutionContext): boolean {
  return context.getClass() === AuthController && context.getHandler() === AuthController.prototype.signIn;
}

/**
 * Two sliding windows (blockDuration 0: a refused request does not count, and the caller may try
 * again as soon as its oldest counted request leaves the window — which is what Retry-After says).
 *
 * Storage is in memory (SlidingWindowThrottlerStorage: the stock store's answers at O(1) a request):
 * each process counts on its own, so N API processes behind a balancer admit up to N × the limit. A
 * shared store (Redis, or a table) would go here as `storage` if the service ever runs several API processes.
 */
export function rateLimitOptions(settings: RateLimitSettings): ThrottlerModuleOptions {
  const ttl = settings.ttlSeconds * 1000;
  return {
    throttlers: [
      { name: GENERAL_THROTTLER, limit: settings.limit, ttl, blockDuration: 0 },
      {
        name: SIGN_IN_THROTTLER,
        limit: settings.signInLimit,
        ttl,
        blockDuration: 0,
        skipIf: (context) => !isSignIn(context),
        getTracker: (request) => signInTracker(request as TrackedRequest),
      },
    ],
    storage: new SlidingWindowThrottlerStorage(),
    getTracker: (request) => principalTracker(request as TrackedRequest),
    // Per caller, not per route: the budget is the caller's, whatever it calls.
    generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
    // Only Retry-After, on a 429 (RateLimitGuard); no X-RateLimit-* headers on every answer.
    setHeaders: false,
    errorMessage: 'too many requests',
  };
}
