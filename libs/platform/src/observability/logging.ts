import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino } from 'pino';
import type { Options } from 'pino-http';

const SECRET_FIELDS = ['password', 'secret', 'token', 'key'];

/**
 * Censored by pino's redactor in every log line: a field named password, secret, token or key at
 * the top of a line. No line carries a request body or a caller's object, so nothing deeper can
 * hold a secret; wildcard paths (`*.password`, two and three levels deep) made the redactor walk
 * and copy every line, tripling the cost of a request line. Credentials in request headers are
 * censored by the request serializer (CREDENTIAL_HEADERS), and a response is logged as its status only.
 */
export const REDACTED_PATHS = [...SECRET_FIELDS];

/** Request headers that are written as `[redacted]` wherever a line logs a request. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-api-key', 'cookie']);
const CENSOR = '[redacted]';

/**
 * pino-http's request serializer hands over its serialized request; its headers become a copy with
 * the credentials censored. Cheaper than redaction paths into `req.headers`, which cost the
 * redactor a walk and a restore on every line (about 12 µs of a read's 0.37 ms in an A/B run).
 */
function censorCredentials(req: { headers?: Record<string, unknown> }) {
  const given = req.headers;
  if (!given) return req;
  const headers: Record<string, unknown> = {};
  for (const name of Object.keys(given)) headers[name] = CREDENTIAL_HEADERS.has(name) ? CENSOR : given[name];
  req.headers = headers;
  return req;
}

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
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    serializers: {
      req: censorCredentials,
      // The response's headers are the app's own: only its status is worth a line.
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
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
  return { forRoutes, pinoHttp: [pinoHttp, batchedStdout()] };
}

/** Bytes of lines gathered before a write to stdout (a dozen request lines). */
const LOG_BATCH_BYTES = 8192;
/** The longest a line waits for its batch: at a trickle of traffic, lines still appear this soon. */
const LOG_FLUSH_MS = 500;

/**
 * Asynchronous stdout in batches: a line is written off the request's path, and lines are gathered
 * until LOG_BATCH_BYTES or LOG_FLUSH_MS, whichever comes first, then written in one go. One
 * asynchronous write per line cost a trip through libuv's thread pool each (the futex wake-ups and
 * context switches of its threads), about 8 % of a config update's CPU in `npm run bench`. pino
 * flushes what is pending when the process exits (SIGTERM included); a SIGKILL loses at most the
 * last half second of lines.
 */
function batchedStdout() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // destroyed: the process is going away, and pino has flushed it
    }
  }, LOG_FLUSH_MS).unref();
  return destination;
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
