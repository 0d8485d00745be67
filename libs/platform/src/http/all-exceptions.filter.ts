import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, toErrorAnswer } from './error-response';

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
  logger: Pick<Logger, 'error'>,
): void {
  const answer = toErrorAnswer(error);
  if (answer.status >= 500) {
    logger.error({ requestId: request.id, err: error }, 'request failed');
  }
  if (answer.code === 'rate_limited' && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  void reply
    .status(answer.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(answer, request.url));
}
