import { createTestDatabase, TestDatabase } from './test-database';

/** Jest global setup: one fresh database for the whole run, and the environment the app reads. */
export default async function globalSetup(): Promise<void> {
  const db = await createTestDatabase();
  (globalThis as { __testDatabase?: TestDatabase }).__testDatabase = db;
  process.env.TEST_SERVER_DATABASE_URL = process.env.DATABASE_URL ?? '';
  process.env.DATABASE_URL = db.url;
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.JWT_SECRET = 'test-secret-test-secret-test-secret-0123';
  process.env.ADMIN_EMAIL = 'admin@test.example';
  process.env.ADMIN_PASSWORD = 'admin-test-password';
  // Webhook receivers in tests listen on 127.0.0.1.
  process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
  process.stdout.write(`\ntest database: ${db.url.replace(/\/\/[^@]*@/, '//')}\n`);
}
