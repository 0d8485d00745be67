import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Helpers for tests that run the built service (and its databases) as real processes. */
export const DIST = join(__dirname, '..', '..', 'dist');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** An embedded PostgreSQL in its own process, so a test can stop and start it under a running app. */
export function startPostgresProcess(dataDir: string, port: number): Promise<{ url: string; process: ChildProcess }> {
  const module = join(DIST, 'libs', 'platform', 'src', 'database', 'embedded-postgres.js');
  const script = `require(${JSON.stringify(module)}).startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} })
    .then((db) => { process.stdout.write('READY ' + db.url + '\\n'); process.on('SIGTERM', () => db.stop().then(() => process.exit(0))); })
    .catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) resolve({ url: match[1], process: child });
    });
    child.once('exit', (code) => reject(new Error(`postgres process exited with ${code}`)));
  });
}

export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

export function startApp(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(DIST, 'apps', 'api', 'src', 'main.js')], {
    env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'development', ...env },
    stdio: 'ignore',
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
