import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino } from 'pino';
import type { Options } from 'pino-http';
import { requestLogFields } from './request-log-context';

const SECRET_FIELDS = ['password', 'secret', 'token', 'key'];

/**
 * Censored wherever they appear in a log line: credentials in request headers, a cookie being set,
 * and any field named password, secret, token or key up to four levels deep.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers.authorization',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

/**
 * Every route. nestjs-pino's default, `{/*splat}` (no leading slash, on purpose), is prefixed
 * with a slash by @fastify/middie 9 (`/{/*splat}`), which then matches only `/`: the request
 * logger never ran. `/{*splat}` matches `/` and every path below it.
 */
const forRoutes = [{ path: '/{*splat}', method: RequestMethod.ALL }];

export interface LoggingOptions {
  level: string;
  /** Append JSON lines to this file instead of stdout (LOG_FILE; tests read it back). */
  file?: string;
  /** Whether stdout is a terminal; defaults to process.stdout.isTTY. */
  tty?: boolean;
}

/**
 * nestjs-pino's parameters: JSON lines, one line per request when it finishes (request id, route
 * pattern, status, responseTime, principal), secrets redacted; human-readable (pino-pretty) only
 * on a terminal, when not silenced and pino-pretty is installed (it is a development dependency).
 */
export function loggingParams(options: LoggingOptions): Params {
  const successObject = (req: IncomingMessage, value: object) => ({ ...value, ...requestLogFields(req) });
  const pinoHttp: Options<IncomingMessage, ServerResponse> = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // The response's headers are the app's own: only its status is worth a line.
    serializers: { res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }) },
    // Fastify's genReqId already put the request id on the raw request; pino-http keeps it.
    customProps: (req) => ({ requestId: (req as IncomingMessage & { id?: unknown }).id }),
    customSuccessObject: (req, _res, value) => successObject(req, value),
    customErrorObject: (req, _res, _error, value) => successObject(req, value),
  };
  if (options.file) {
    return { forRoutes, pinoHttp: [pinoHttp, pino.destination({ dest: options.file, sync: true, mkdir: true })] };
  }
  if (wantsPretty(options)) {
    pinoHttp.transport = {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    };
  }
  return { forRoutes, pinoHttp };
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
