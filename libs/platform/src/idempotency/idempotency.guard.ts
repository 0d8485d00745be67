import { createHash, randomUUID } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../config/environment';
import { Sql } from '../database/sql';
import type { Transaction } from '../database/unit-of-work';
import { ValidationFailedError } from '../errors/domain-error';
import { fastifyOf } from '../http/fastify-of';
import { IDEMPOTENCY_EXEMPT, IDEMPOTENCY_REDACT } from './idempotency.decorators';
import { IdempotencyError, ReplayedAnswer } from './idempotency.errors';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEPT_HEADERS = ['etag', 'location'];
const TTL = "interval '24 hours'";
/** Where the guard leaves its claim on the request, for the answer to be stored under. */
const CLAIM = Symbol('idempotency claim');

interface Claim extends RequestClaim {
  redact: string[];
}

/**
 * A request's hold on its Idempotency-Key, for the use case that runs it: `recordCommit` in the
 * change's transaction ties the key to the change, and `committedResource` says the change of an
 * earlier run of this key committed (its answer was lost): answer from it, do not run again.
 */
export interface RequestClaim {
  /** principal, method, path, key: the row's primary key. */
  readonly id: readonly string[];
  /** This run's token; the row answers to the newest run only. */
  readonly token: string;
  readonly committedResource: string | null;
}

type ClaimedRequest = FastifyRequest & { user?: { type: string; id: string }; [CLAIM]?: Claim };

interface StoredRow {
  request_sha256: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
}

/**
 * Stripe-style idempotency keys on every POST, PUT, PATCH and DELETE that `@IdempotentMutations()`
 * marks: the same key (per caller, method and path) with the same body replays the stored status
 * and body with `Idempotent-Replayed: true` and changes nothing; with another body it is 422; while
 * the first request still runs it is 409. Answers of 5xx are not stored (the key can be used again).
 *
 * Two halves: this guard claims the key before the handler runs (after the global guards, so the
 * caller is known) or answers a repeat from the stored row; IdempotentAnswers stores the answer in
 * Fastify's onSend hook, errors included. Not an interceptor: Nest runs any interceptor through an
 * rxjs chain on every request, with the header or without, about 6 % of an amend's CPU (A/B in
 * docs/BENCHMARKS.md); a guard without the header is one header lookup.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  private readonly lease: string;

  constructor(
    private readonly sql: Sql,
    private readonly reflector: Reflector,
    config: ConfigService<Environment, true>,
  ) {
    this.lease = `${config.get('IDEMPOTENCY_LEASE_SECONDS', { infer: true })} seconds`;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<ClaimedRequest>();
    const raw = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method) || raw === undefined) return true;
    if (this.reflector.get<boolean | undefined>(IDEMPOTENCY_EXEMPT, context.getHandler())) return true;
    const key = String(raw);
    if (key.length < 1 || key.length > 255) {
      throw ValidationFailedError.of([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    }
    const principal = request.user ? `${request.user.type}:${request.user.id}` : `anonymous:${request.ip}`;
    // Scoped by the matched route and its decoded parameters, not the raw URL: `/interviews/%31%35/amend`
    // and `/interviews/15/amend` are one resource and one key.
    const path = scopeOf(request);
    const fingerprint = createHash('sha256').update(`${path}\n${JSON.stringify(request.query ?? null)}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const id = [principal, request.method, path, key];

    await this.sql.execute(`DELETE FROM idempotency_keys WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4 AND created_at < now() - ${TTL}`, id);
    const token = randomUUID();
    const claimed = await this.sql.query(
      `INSERT INTO idempotency_keys (principal, method, path, key, request_sha256, lease_until, claim_token)
       VALUES ($1, $2, $3, $4, $5, now() + $6::interval, $7)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [...id, fingerprint, this.lease, token],
    );
    let committedResource: string | null = null;
    if (claimed.length === 0) {
      // A claim with no answer past its lease was left by a process that died: this retry takes it
      // over (one retry: the row lock decides). If that run's change had committed, it is not run again.
      const [taken] = await this.sql.query<{ committed_resource: string | null }>(
        `UPDATE idempotency_keys SET lease_until = now() + $6::interval, claim_token = $7
          WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4 AND request_sha256 = $5
            AND status IS NULL AND (lease_until IS NULL OR lease_until < now())
          RETURNING committed_resource`,
        [...id, fingerprint, this.lease, token],
      );
      if (!taken) return this.replay(id, fingerprint);
      committedResource = taken.committed_resource;
    }
    const claim: Claim = { id, token, committedResource, redact: this.reflector.get<string[] | undefined>(IDEMPOTENCY_REDACT, context.getHandler()) ?? [] };
    request[CLAIM] = claim;
    return true;
  }

  private async replay(id: string[], fingerprint: string): Promise<never> {
    const rows = await this.sql.query<StoredRow>(
      `SELECT request_sha256, status, headers, body FROM idempotency_keys WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4`,
      id,
    );
    const row = rows[0];
    if (!row || row.status === null) {
      throw new IdempotencyError(409, 'idempotency_in_progress', 'a request with this Idempotency-Key is still running');
    }
    if (row.request_sha256 !== fingerprint) {
      throw new IdempotencyError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with another request body');
    }
    // Sent as it was stored by the exception filter, past Nest's own status handling.
    throw new ReplayedAnswer(row.status, row.headers ?? {}, row.body ?? '');
  }
}

/**
 * The other half of IdempotencyGuard: when a claimed request's answer is about to be sent, its
 * status, ETag/Location and body are stored in the claimed row (a 4xx too; a 5xx forgets the claim
 * instead), before the answer leaves. A no-op in a process without HTTP.
 */
@Injectable()
export class IdempotentAnswers implements OnModuleInit {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly sql: Sql,
  ) {}

  onModuleInit(): void {
    const fastify = fastifyOf(this.adapterHost);
    if (!fastify) return;
    // A callback hook, not an async one: every other answer (the reads included) passes straight
    // through, without a promise.
    fastify.addHook('onSend', (request: ClaimedRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
      const claim = request[CLAIM];
      if (!claim) return done(null, payload);
      request[CLAIM] = undefined;
      void this.settle(claim, request, reply, payload).then(() => done(null, payload));
    });
  }

  /** Stores the answer (a 5xx: forgets the claim); never fails: the answer stands either way. */
  private async settle(claim: Claim, request: ClaimedRequest, reply: FastifyReply, payload: unknown): Promise<void> {
    try {
      if (reply.statusCode >= 500) await this.forget(claim);
      else await this.store(claim, reply, typeof payload === 'string' ? payload : '');
    } catch (error) {
      // The key is released so that the caller can try again, as after a 5xx.
      this.logger.error({ err: error, requestId: request.id }, 'idempotent answer not stored');
      await this.forget(claim).catch(() => undefined);
    }
  }

  private async store(claim: Claim, reply: FastifyReply, body: string): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    await this.sql.execute(
      `UPDATE idempotency_keys SET status = $5, headers = $6, body = $7, completed_at = now()
        WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4 AND claim_token = $8`,
      [...claim.id, reply.statusCode, headers, withoutSecrets(body, claim.redact), claim.token],
    );
  }

  /** Only this run's claim: a run that outlived its lease must not release its successor's. */
  private async forget(claim: Claim): Promise<void> {
    await this.sql.execute(`DELETE FROM idempotency_keys WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4 AND claim_token = $5`, [
      ...claim.id,
      claim.token,
    ]);
  }
}

/** `/api/v1/interviews/:id/amend {"id":"15"}`: the route's pattern and its decoded parameters, in the pattern's order. */
function scopeOf(request: FastifyRequest): string {
  const pattern = request.routeOptions?.url ?? request.url.split('?')[0];
  const params = (request.params ?? {}) as Record<string, unknown>;
  const names = Object.keys(params).sort();
  return names.length === 0 ? pattern : `${pattern} ${JSON.stringify(names.map((name) => [name, params[name]]))}`;
}

/** The JSON body with each dotted path set to null (secrets are never stored). */
function withoutSecrets(body: string, paths: string[]): string {
  if (paths.length === 0 || body === '') return body;
  let copy: unknown;
  try {
    copy = JSON.parse(body);
  } catch {
    return body;
  }
  if (!copy || typeof copy !== 'object') return body;
  for (const path of paths) {
    const parts = path.split('.');
    let node = copy as Record<string, unknown> | undefined;
    for (const part of parts.slice(0, -1)) node = node?.[part] as Record<string, unknown> | undefined;
    if (node && parts[parts.length - 1] in node) node[parts[parts.length - 1]] = null;
  }
  return JSON.stringify(copy);
}

/** The claim the IdempotencyGuard holds for this request; undefined without Idempotency-Key. */
export function idempotencyClaimOf(request: FastifyRequest): RequestClaim | undefined {
  return (request as ClaimedRequest)[CLAIM];
}

/**
 * Ties an Idempotency-Key to the change its request makes, in the change's own transaction: the
 * claim records the resource changed, and commits (or rolls back) with the change. A crash after
 * the commit and before the answer is stored then leaves a key whose retry answers from the
 * resource instead of running the change again. Under a token that is no longer the claim's (this
 * run outlived its lease and a retry took the key over) it refuses, and the change rolls back: of
 * two runs of one key, at most one change commits.
 */
@Injectable()
export class IdempotencyLedger {
  constructor(private readonly sql: Sql) {}

  async recordCommit(claim: RequestClaim, resource: string, tx: Transaction): Promise<void> {
    const changed = await this.sql.execute(
      `UPDATE idempotency_keys SET committed_resource = $6
        WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4 AND claim_token = $5
          AND status IS NULL AND committed_resource IS NULL`,
      [...claim.id, claim.token, resource],
      tx,
    );
    if (changed !== 1) throw new IdempotencyError(409, 'idempotency_in_progress', 'another request with this Idempotency-Key has taken it over');
  }
}
