import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { ValidationFailedError } from '../errors/domain-error';
import { errorBody, toErrorAnswer } from '../http/error-response';

import { IDEMPOTENCY_REDACT } from './idempotency.decorators';
import { IdempotencyError, ReplayedAnswer } from './idempotency.errors';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEPT_HEADERS = ['etag', 'location'];
const TTL = "interval '24 hours'";

interface StoredRow {
  request_sha256: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
}

/**
 * Stripe-style idempotency keys on every POST, PUT, PATCH and DELETE: the same key (per caller,
 * method and path) with the same body replays the stored status and body with
 * `Idempotent-Replayed: true` and changes nothing; with another body it is 422; while the first
 * request still runs it is 409. Answers of 5xx are not stored (the key can be used again).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: { type: string; id: string } }>();
    const reply = http.getResponse<FastifyReply>();
    const raw = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method) || raw === undefined) return next.handle();
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    if (request.url.startsWith('/api/v1/auth/')) return next.handle(); // no resource to repeat; the token is not stored
    const redact = this.reflector.get<string[] | undefined>(IDEMPOTENCY_REDACT, context.getHandler()) ?? [];
    return from(this.run(request, reply, String(raw), status, redact, next));
  }

  private async run(
    request: FastifyRequest & { user?: { type: string; id: string } },
    reply: FastifyReply,
    key: string,
    status: number,
    redact: string[],
    next: CallHandler,
  ) {
    if (key.length < 1 || key.length > 255) {
      throw ValidationFailedError.of([{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
    }
    const principal = request.user ? `${request.user.type}:${request.user.id}` : `anonymous:${request.ip}`;
    const path = request.url.split('?')[0];
    const fingerprint = createHash('sha256').update(`${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const id = [principal, request.method, path, key];

    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4 AND created_at < now() - ${TTL}`, id);
    const claimed = await this.dataSource.query(
      `INSERT INTO idempotency_keys (principal, method, path, key, request_sha256) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [...id, fingerprint],
    );
    if (claimed.length === 0) return this.replay(id, fingerprint);

    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store(id, status, reply, result === undefined ? '' : JSON.stringify(withoutSecrets(result, redact)));
      return result;
    } catch (error) {
      const answer = toErrorAnswer(error);
      if (answer.status >= 500) await this.forget(id);
      else await this.store(id, answer.status, reply, JSON.stringify(errorBody(answer, request.url)));
      throw error;
    }
  }

  private async replay(id: string[], fingerprint: string): Promise<never> {
    const rows: StoredRow[] = await this.dataSource.query(
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

  private async store(id: string[], status: number, reply: FastifyReply, body: string): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status = $5, headers = $6, body = $7, completed_at = now()
        WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4`,
      [...id, status, headers, body],
    );
  }

  private async forget(id: string[]): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE principal = $1 AND method = $2 AND path = $3 AND key = $4`, id);
  }
}

/** A copy of `result` with each dotted path set to null (secrets are never stored). */
function withoutSecrets(result: unknown, paths: string[]): unknown {
  if (paths.length === 0 || !result || typeof result !== 'object') return result;
  const copy = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) node = node?.[part] as Record<string, unknown> | undefined;
    if (node && parts[parts.length - 1] in node) node[parts[parts.length - 1]] = null;
  }
  return copy;
}
