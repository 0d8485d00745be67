import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { type EmbeddedDatabase, type Environment, redactUrl, startEmbeddedPostgres } from '#platform';
import { messageOf } from './cli-errors';


async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a dropped connection surfaces as the failed query instead
  await client.connect();
  return client;
}

/**
 * Reaches the database once before the Nest context starts: a wrong DATABASE_URL fails here at
 * once with a plain message (instead of TypeORM's retries), and the migrations already recorded
 * tell `db:migrate` which ones this run applies.
 */
export async function appliedMigrations(url: string): Promise<string[]> {
  let client: Client;
  try {
    client = await connect(url);
  } catch (error) {
    throw new Error(`cannot connect to the database at ${redactUrl(url)}: ${messageOf(error)}`);
  }
  try {
    const [{ present }] = (await client.query(`SELECT to_regclass('migrations') IS NOT NULL AS present`)).rows;
    if (!present) return [];
    return (await client.query('SELECT name FROM migrations ORDER BY id')).rows.map((row: { name: string }) => row.name);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface CliDatabase {
  url: string;
  /** Set when this process started the server: it stops it again. */
  stop?: () => Promise<void>;
}

/**
 * The embedded PostgreSQL, as `npm start` uses it (same directory, port and database). If the
 * service is running on it already, the CLI uses that server and leaves it running: starting it
 * again would take it for a killed run's leftover and stop it under the service.
 */
export async function embeddedDatabase(env: Environment, log: (line: string) => void): Promise<CliDatabase> {
  const dataDir = resolve(env.EMBEDDED_PG_DIR);
  const pid = livePostmaster(dataDir);
  if (pid) {
    // the URL startEmbeddedPostgres hands out for this port
    const url = `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/interviews`;
    const client = await connect(url).catch(() => null);
    if (client) {
      await client.end().catch(() => undefined);
      log(`embedded PostgreSQL: using the server already running on port ${env.EMBEDDED_PG_PORT} (pid ${pid})`);
      return { url };
    }
  }
  log(`embedded PostgreSQL: starting (${env.EMBEDDED_PG_DIR}, port ${env.EMBEDDED_PG_PORT})`);
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT, log });
  return { url: embedded.url, stop: () => embedded.stop() };
}

function livePostmaster(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
