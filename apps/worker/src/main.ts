import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { EventRelay } from '#events';
import { probeDatabase, RetentionJob, validateEnvironment } from '#platform';
import { WorkerModule } from './worker.module';

/**
 * `npm run start:worker`: the event relay on its own (DATABASE_URL required: it shares the API's
 * database), and the retention job. Any number may run; row locks keep them from sending the same
 * event at once, advisory locks from purging the same table at once.
 */
async function bootstrap(): Promise<void> {
  const env = validateEnvironment(process.env);
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL: the worker needs the API\'s database (with the embedded one, npm start runs the relay itself)');
  await probeDatabase(env.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.get(EventRelay).start();
  app.get(RetentionJob).start(); // unless RETENTION=off

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.get(Logger).log(`${signal}: stopping the relay and the retention job`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`worker start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
