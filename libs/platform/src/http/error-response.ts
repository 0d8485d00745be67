import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorCode, FieldError } from '../errors/domain-error';
import { IdempotencyError } from '../idempotency/idempotency.errors';

/**
 * The one place where errors become HTTP answers. Two envelopes: the user API's
 * `{"error": {code, message, details?}}` and the micro1-compatible `{"status": false, "message"}`
 * for the public routes. Nothing of a stack trace or SQL ever reaches a body.
 */
export type ErrorCode =
  | DomainErrorCode
  | 'malformed_json'
  | 'unauthenticated'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'service_unavailable'
  | 'idempotency_in_progress'
  | 'idempotency_key_reused'
  | 'internal';

export interface ErrorAnswer {
  status: number;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
}

const STATUS_OF: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  forbidden: 403,
  invalid_transition: 409,
  schedule_conflict: 409,
  precondition_failed: 412,
  limit_reached: 409,
};

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'invalid_transition',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const DEFAULT_MESSAGE: Partial<Record<ErrorCode, string>> = {
  unauthenticated: 'authentication required',
  forbidden: 'you may not do this',
  not_found: 'not found',
  payload_too_large: 'request body is larger than 100 kB',
  unsupported_media_type: 'request body must be application/json',
  rate_limited: 'too many requests',
  service_unavailable: 'the service is temporarily unavailable',
  internal: 'internal error',
};

/** Errors Fastify raises itself (body parsing, limits) carry a status and a code of their own. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
}

export function toErrorAnswer(error: unknown): ErrorAnswer {
  // Nest wraps Fastify's own 4xx errors (body parsing, limits) in an HttpException; look inside.
  if (error instanceof HttpException && typeof (error.cause as FastifyLikeError)?.code === 'string') {
    error = error.cause;
  }
  if (error instanceof IdempotencyError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof DomainError) {
    return { status: STATUS_OF[error.code], code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'validation_failed');
    const message = status >= 500 ? DEFAULT_MESSAGE[code]! : (DEFAULT_MESSAGE[code] ?? messageOf(error));
    return { status: status >= 500 && status !== 503 ? 500 : status, code, message };
  }
  if (isDatabaseUnavailable(error)) return answer(503, 'service_unavailable');
  if (isUnstorableInput(error)) {
    return { status: 400, code: 'validation_failed', message: 'the request holds a value the database cannot store' };
  }
  const fastify = error as FastifyLikeError;
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    if (fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answer(413, 'payload_too_large');
    if (fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return answer(415, 'unsupported_media_type');
    if (fastify.statusCode === 400) {
      return { status: 400, code: 'malformed_json', message: 'request body is not valid JSON' };
    }
    const code = CODE_OF_STATUS[fastify.statusCode] ?? 'validation_failed';
    return answer(fastify.statusCode, code);
  }
  return answer(HttpStatus.INTERNAL_SERVER_ERROR, 'internal');
}

function answer(status: number, code: ErrorCode): ErrorAnswer {
  return { status, code, message: DEFAULT_MESSAGE[code] ?? code };
}

function messageOf(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : error.message;
}

/**
 * The micro1-compatible routes of Part 2 answer in their own envelope. Given the matched route's
 * pattern (decisionPath), never the raw URL.
 */
export function isPublicApiPath(url: string): boolean {
  const path = url.split('?')[0];
  return /^\/(interview|interviews|webhook|webhooks)(\/|$)/.test(path);
}

export function errorBody(answer: ErrorAnswer, url: string): Record<string, unknown> {
  if (isPublicApiPath(url)) {
    if (answer.status >= 500) return { status: false };
    return { status: false, message: publicMessage(answer, url) };
  }
  const error: Record<string, unknown> = { code: answer.code, message: answer.message };
  if (answer.details?.length) error.details = answer.details;
  return { error };
}

function publicMessage(answer: ErrorAnswer, url: string): string {
  if (answer.code === 'unauthenticated') return 'Invalid API key';
  if (answer.code === 'not_found') {
    return /^\/interview(s)?(\/|$|\?)/.test(url) ? 'Interview not found' : capitalise(answer.message);
  }
  const first = answer.details?.[0];
  return first ? `${first.field} ${first.message}` : answer.message;
}

function capitalise(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * The database is down, unreachable, shutting down, out of connections, or a statement ran past
 * its timeout: the request could not be served now, and may be tried again (503, not 500).
 */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300|57014)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connection is closed|Client has encountered a connection error/i;

function isDatabaseUnavailable(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown })?.driverError, (error as { cause?: unknown })?.cause];
  return candidates.some((e) => {
    if (!e || typeof e !== 'object') return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_NODE_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))) return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
  });
}

/** Backstop for input PostgreSQL refuses as text (NUL bytes, bad encodings, malformed literals). */
const UNSTORABLE_SQLSTATE = new Set(['22021', '22P05', '22P02', '22007', '22008', '22003', '54000']);

function isUnstorableInput(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown } })?.driverError?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && UNSTORABLE_SQLSTATE.has(code);
}
