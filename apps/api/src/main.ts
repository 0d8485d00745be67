import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { configureHttp, createFastifyAdapter, EmbeddedDatabase, probeDatabase, startEmbeddedPostgres, validateEnvironment } from '#platform';
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

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.get(Logger).log(`${signal}: shutting down`);
    // Stop accepting, let the requests in flight finish (bounded), stop the relay, close the pool.
    setTimeout(() => {
      process.stderr.write('shutdown took longer than 15 s; exiting\n');
      process.exit(1);
    }, 15_000).unref();
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
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
