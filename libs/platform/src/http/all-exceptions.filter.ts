import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReplayedAnswer } from '../idempotency/idempotency.errors';
import { errorBody, toErrorAnswer } from './error-response';
import { decisionPath } from './matched-route';

/** Maps every error to its status and envelope; unknown errors are logged, never echoed. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(reply, request, error, this.logger);
  }
}

export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  error: unknown,
  logger: Pick<Logger, 'error' | 'warn'>,
): void {
  if (error instanceof ReplayedAnswer) {
    void reply
      .status(error.status)
      .headers({ ...error.headers, 'idempotent-replayed': 'true', 'content-type': 'application/json; charset=utf-8' })
      .send(error.body);
    return;
  }
  const path = decisionPath(request);
  if (error instanceof HttpException && path.startsWith('/health/')) {
    // Terminus's answer says which dependency is down: keep it.
    void reply.status(error.getStatus()).header('content-type', 'application/json; charset=utf-8').send(error.getResponse());
    return;
  }
  const answer = toErrorAnswer(error);
  if (answer.status === 503) {
    logger.warn({ requestId: request.id, err: (error as Error)?.message }, 'database unavailable');
  } else if (answer.status >= 500) {
    logger.error({ requestId: request.id, err: error }, 'request failed');
  }
  if (answer.code === 'rate_limited' && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  if (answer.code === 'service_unavailable') reply.header('retry-after', '5');
  void reply
    .status(answer.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(answer, path));
}
