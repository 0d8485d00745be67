import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createFastifyAdapter, createOpenApiDocument } from '#platform';
import { AppModule } from './app.module';

/**
 * `npm run openapi`: writes the OpenAPI document the app serves at /docs-json to
 * docs/openapi.json (the committed contract a test compares with the served one). Preview mode:
 * the modules are scanned, nothing is instantiated, no database is needed.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(), { preview: true, logger: false });
  const target = resolve(process.argv[2] ?? 'docs/openapi.json');
  writeFileSync(target, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi export failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
