import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../platform/src/database/embedded-postgres';

/**
 * A fresh database for one test run: created on DATABASE_URL's server when it is set, else on an
 * embedded PostgreSQL started for the run. Never a mock: the tests need real locks and constraints.
 */
export interface TestDatabase {
  url: string;
  dispose(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createOn(serverUrl);
  const embedded = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'interviews-test-pg-')),
    port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54331),
    persistent: false,
  });
  const db = await createOn(embedded.url);
  return {
    url: db.url,
    dispose: async () => {
      await db.dispose();
      await embedded.stop();
    },
  };
}

async function createOn(serverUrl: string): Promise<TestDatabase> {
  const name = `interviews_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
