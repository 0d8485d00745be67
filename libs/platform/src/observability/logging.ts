import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino } from 'pino';
import type { Options } from 'pino-http';

const SECRET_FIELDS = ['password', 'secret', 'token', 'key'];

/**
 * Censored in every log line: credentials in request headers, a cookie being set, and a field
 * named password, secret, token or key at the top of a line. No line carries a request body or a
 * caller's object, so nothing deeper can hold a secret; wildcard paths (`*.password`, two and three
 * levels deep) made the redactor walk and copy every line, tripling the cost of a request line.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers.authorization',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS,
];

/**
 * No route goes through nestjs-pino's pino-http middleware: the request line is written by
 * RequestLog's Fastify hooks instead (far cheaper than middleware through @fastify/middie).
 * nestjs-pino still builds the root logger from these parameters and serves Logger and PinoLogger.
 */
const forRoutes: NonNullable<Params['forRoutes']> = [];

export interface LoggingOptions {
  level: string;
  /** Append JSON lines to this file instead of stdout (LOG_FILE; tests read it back). */
  file?: string;
  /** Whether stdout is a terminal; defaults to process.stdout.isTTY. */
  tty?: boolean;
}

/**
 * nestjs-pino's parameters: JSON lines (RequestLog writes one per request), secrets
 * redacted; human-readable (pino-pretty) only on a terminal, when not silenced and pino-pretty is
 * installed (it is a development dependency).
 */
export function loggingParams(options: LoggingOptions): Params {
  const pinoHttp: Options<IncomingMessage, ServerResponse> = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The response's headers are the app's own: only its status is worth a line.
    serializers: { res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }) },
  };
  if (options.file) {
    return { forRoutes, pinoHttp: [pinoHttp, pino.destination({ dest: options.file, sync: true, mkdir: true })] };
  }
  if (wantsPretty(options)) {
    pinoHttp.transport = {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    };
    return { forRoutes, pinoHttp };
  }
  // Asynchronous stdout: a line is written off the request's path, and lines that come while a
  // write is under way go out together in the next one, instead of one blocking write(2) per line.
  // pino flushes what is pending when the process exits; a SIGKILL can lose the lines in flight.
  return { forRoutes, pinoHttp: [pinoHttp, pino.destination({ dest: 1, sync: false })] };
}

function wantsPretty(options: LoggingOptions): boolean {
  if (!(options.tty ?? process.stdout.isTTY) || options.level === 'silent') return false;
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
