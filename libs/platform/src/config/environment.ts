import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { weakSecretReason } from './weak-secrets';

/** The process environment, validated once at start-up (README, "Configuration"). */
export class Environment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => (value === undefined ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Seconds; 30 days by default, as the original API's tokens. */
  @Transform(({ value }) => (value === undefined ? 2592000 : Number(value)))
  @IsInt({ message: 'JWT_TTL must be a whole number of seconds' })
  @Min(60)
  @Max(31536000)
  JWT_TTL = 2592000;

  @IsOptional()
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Append the JSON log lines to this file instead of stdout. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  LOG_FILE?: string;

  /** Embedded PostgreSQL (used when DATABASE_URL is unset): port and data directory. */
  @Transform(({ value }) => (value === undefined ? 54330 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 54330;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  EMBEDDED_PG_DIR: string = '.data/postgres';

  @IsOptional()
  @IsBooleanString()
  DATABASE_LOGGING?: string;

  /** RabbitMQ; when set, every event is published to the `interviews` topic exchange. */
  @IsOptional()
  @Matches(/^amqps?:\/\/\S+$/, { message: 'AMQP_URL must be an amqp:// URL' })
  AMQP_URL?: string;

  /** Allow webhook targets on loopback and private addresses (development and tests only). */
  @IsOptional()
  @IsBooleanString({ message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' })
  WEBHOOK_ALLOW_PRIVATE: string = 'false';

  /** Where the event relay runs: `inline` in the API process, `off` (run `npm run start:worker`). */
  @IsOptional()
  @IsIn(['inline', 'off'])
  RELAY?: 'inline' | 'off';

  /** A webhook attempt is abandoned (and retried) after this many milliseconds. */
  @Transform(({ value }) => (value === undefined ? 10000 : Number(value)))
  @IsInt()
  @Min(100)
  @Max(60000)
  WEBHOOK_TIMEOUT_MS = 10000;

  /** Scales the retry schedule (1 = the documented one); tests shrink it. */
  @Transform(({ value }) => (value === undefined ? 1 : Number(value)))
  @IsNumber({}, { message: 'WEBHOOK_RETRY_SCALE must be a number' })
  @Min(0.00001)
  @Max(1)
  WEBHOOK_RETRY_SCALE = 1;

  /** Webhook subscriptions one API key may have (micro1's POST /webhook; admins' are not counted). */
  @Transform(({ value }) => (value === undefined ? 20 : Number(value)))
  @IsInt({ message: 'WEBHOOK_MAX_PER_API_KEY must be a positive whole number' })
  @Min(1, { message: 'WEBHOOK_MAX_PER_API_KEY must be a positive whole number' })
  @Max(1000, { message: 'WEBHOOK_MAX_PER_API_KEY must be at most 1000' })
  WEBHOOK_MAX_PER_API_KEY = 20;

  /** Requests per THROTTLE_TTL window, per principal (user or API key) or, when anonymous, per IP. */
  @Transform(({ value }) => (value === undefined ? 600 : Number(value)))
  @IsInt({ message: 'THROTTLE_LIMIT must be a positive whole number of requests' })
  @Min(1, { message: 'THROTTLE_LIMIT must be a positive whole number of requests' })
  @Max(1_000_000, { message: 'THROTTLE_LIMIT must be at most 1000000' })
  THROTTLE_LIMIT = 600;

  /** The rate-limit window, in seconds (a sliding window: each request counts for this long). */
  @Transform(({ value }) => (value === undefined ? 60 : Number(value)))
  @IsInt({ message: 'THROTTLE_TTL must be a positive whole number of seconds' })
  @Min(1, { message: 'THROTTLE_TTL must be a positive whole number of seconds' })
  @Max(86400, { message: 'THROTTLE_TTL must be at most 86400 seconds (a day)' })
  THROTTLE_TTL = 60;

  /** Sign-in attempts per THROTTLE_TTL window for one email from one IP (on top of THROTTLE_LIMIT). */
  @Transform(({ value }) => (value === undefined ? 10 : Number(value)))
  @IsInt({ message: 'THROTTLE_SIGN_IN_LIMIT must be a positive whole number of attempts' })
  @Min(1, { message: 'THROTTLE_SIGN_IN_LIMIT must be a positive whole number of attempts' })
  @Max(1_000_000, { message: 'THROTTLE_SIGN_IN_LIMIT must be at most 1000000' })
  THROTTLE_SIGN_IN_LIMIT = 10;

  /**
   * The bearer token GET /metrics asks for (`Authorization: Bearer <METRICS_TOKEN>`), 32+
   * characters. Unset (or empty): /metrics is open in development and test, and 404 in production.
   */
  @Transform(({ value }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters' })
  @MaxLength(512, { message: 'METRICS_TOKEN must be at most 512 characters' })
  @Matches(/^[!-~]+$/, { message: 'METRICS_TOKEN must be printable ASCII without spaces' })
  METRICS_TOKEN?: string;

  // --- The edges: HTTP timeouts, the SIGTERM drain, idempotency leases, webhook concurrency. ---

  /**
   * An Idempotency-Key claim whose request has not answered within this many seconds is taken to
   * be left by a process that died: a retry with the key then runs again (unless its change had
   * committed: then it answers from it). Longer than any request may take (HTTP_REQUEST_TIMEOUT_MS
   * and the 5 s statement timeout).
   */
  @Transform(({ value }) => (value === undefined ? 60 : Number(value)))
  @IsInt({ message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'IDEMPOTENCY_LEASE_SECONDS must be at least 1' })
  @Max(86400, { message: 'IDEMPOTENCY_LEASE_SECONDS must be at most 86400 (the key is kept 24 hours)' })
  IDEMPOTENCY_LEASE_SECONDS = 60;

  /** The request's headers must arrive within this many milliseconds (else 408 and the connection closes); at most HTTP_REQUEST_TIMEOUT_MS. */
  @Transform(({ value }) => (value === undefined ? 10000 : Number(value)))
  @IsInt({ message: 'HTTP_HEADERS_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(600000)
  HTTP_HEADERS_TIMEOUT_MS = 10000;

  /** The whole request (headers and body) must arrive within this many milliseconds (else 408). */
  @Transform(({ value }) => (value === undefined ? 30000 : Number(value)))
  @IsInt({ message: 'HTTP_REQUEST_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(600000)
  HTTP_REQUEST_TIMEOUT_MS = 30000;

  /** A kept-alive connection with no request is closed after this many milliseconds. */
  @Transform(({ value }) => (value === undefined ? 65000 : Number(value)))
  @IsInt({ message: 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(600000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 65000;

  /** A socket on which nothing moves (no byte either way) for this many milliseconds is closed. */
  @Transform(({ value }) => (value === undefined ? 120000 : Number(value)))
  @IsInt({ message: 'HTTP_IDLE_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(3600000)
  HTTP_IDLE_TIMEOUT_MS = 120000;

  /**
   * On SIGTERM: readiness is 503 and requests are still served (with `Connection: close`) for this
   * many milliseconds, so load balancers move away, before the server stops accepting. 5 s in
   * production, 500 ms otherwise; at most 10 s, so that the drain and the close fit in 15 s.
   */
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'SHUTDOWN_DRAIN_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(10000, { message: 'SHUTDOWN_DRAIN_MS must be at most 10000 (the process exits within 15 s)' })
  SHUTDOWN_DRAIN_MS?: number;

  // --- Retention: the job that purges rows past their use (libs/platform/src/retention). ---

  /**
   * `off`: nothing is purged. Otherwise the retention job runs in the process that runs the event
   * relay: the worker, or the API with RELAY=inline.
   */
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'RETENTION must be on or off' })
  RETENTION: 'on' | 'off' = 'on';

  /** Milliseconds from the end of one retention run to the start of the next (the first runs at start). */
  @Transform(({ value }) => (value === undefined ? 60000 : Number(value)))
  @IsInt({ message: 'RETENTION_INTERVAL_MS must be a whole number of milliseconds' })
  @Min(1000, { message: 'RETENTION_INTERVAL_MS must be at least 1000' })
  @Max(86_400_000, { message: 'RETENTION_INTERVAL_MS must be at most 86400000 (a day)' })
  RETENTION_INTERVAL_MS = 60000;

  /** Rows one retention statement deletes at most (each batch is its own short transaction). */
  @Transform(({ value }) => (value === undefined ? 5000 : Number(value)))
  @IsInt({ message: 'RETENTION_BATCH_SIZE must be a positive whole number of rows' })
  @Min(1, { message: 'RETENTION_BATCH_SIZE must be a positive whole number of rows' })
  @Max(50_000, { message: 'RETENTION_BATCH_SIZE must be at most 50000' })
  RETENTION_BATCH_SIZE = 5000;

  /**
   * Hours an Idempotency-Key (with its stored answer) is kept, from its first use; at least the 24
   * hours the guard replays a key for, so that retention never takes a key the guard still honours.
   */
  @Transform(({ value }) => (value === undefined ? 24 : Number(value)))
  @IsInt({ message: 'IDEMPOTENCY_KEY_TTL must be a whole number of hours' })
  @Min(24, { message: 'IDEMPOTENCY_KEY_TTL must be at least 24 (hours: the guard replays a key for 24 hours)' })
  @Max(8760, { message: 'IDEMPOTENCY_KEY_TTL must be at most 8760 (hours: a year)' })
  IDEMPOTENCY_KEY_TTL = 24;

  /** Days a delivered or failed webhook delivery is kept (pending ones always are). */
  @Transform(({ value }) => (value === undefined ? 7 : Number(value)))
  @IsInt({ message: 'WEBHOOK_DELIVERY_RETENTION_DAYS must be a whole number of days' })
  @Min(1, { message: 'WEBHOOK_DELIVERY_RETENTION_DAYS must be at least 1' })
  @Max(3650, { message: 'WEBHOOK_DELIVERY_RETENTION_DAYS must be at most 3650' })
  WEBHOOK_DELIVERY_RETENTION_DAYS = 7;
}

/** A development secret, refused in production (the validator below makes it required there). */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-0123456789';

/** The shortest ADMIN_PASSWORD production accepts (8 elsewhere). */
export const PRODUCTION_ADMIN_PASSWORD_LENGTH = 12;

/**
 * The environment, validated; throws one line naming every variable that is wrong
 * (`Invalid configuration: JWT_SECRET: …; ADMIN_PASSWORD: …`), so that a start-up fails with it.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, skipMissingProperties: false });
  const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) messages.push('JWT_SECRET: JWT_SECRET is required when NODE_ENV=production');
    // Only once the general rules pass, so that each variable is named once.
    const valid = (name: string) => !errors.some((e) => e.property === name);
    const weak = (name: 'JWT_SECRET' | 'ADMIN_PASSWORD' | 'METRICS_TOKEN', value: string | undefined, minLength: number) => {
      const reason = value && valid(name) ? weakSecretReason(value, minLength) : null;
      if (reason) messages.push(`${name}: ${reason}; set a random value (e.g. openssl rand -base64 48) when NODE_ENV=production`);
    };
    weak('JWT_SECRET', env.JWT_SECRET, 32);
    weak('ADMIN_PASSWORD', env.ADMIN_PASSWORD, PRODUCTION_ADMIN_PASSWORD_LENGTH);
    weak('METRICS_TOKEN', env.METRICS_TOKEN, 32);
  }
  if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
    messages.push('ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither');
  }
  if (messages.length > 0) {
    // One line: start-up errors are read in a terminal or a container's log, one line each.
    throw new Error(`Invalid configuration: ${messages.map((m) => m.replace(/\s+/g, ' ')).join('; ')}`);
  }
  env.JWT_SECRET ??= DEVELOPMENT_JWT_SECRET;
  return env;
}
