import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/processes';

/**
 * `npm start` with no DATABASE_URL: the built app on its embedded PostgreSQL. It serves
 * readiness, keeps its data across a restart, comes back after `kill -9`, and stops the database
 * with itself on SIGTERM.
 */
const MAIN = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');


describe('the service on its embedded database', () => {
  let dataDir: string;
  let port: number;
  let pgPort: number;
  let app: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
    dataDir = mkdtempSync(join(tmpdir(), 'interviews-embedded-'));
    chmodSync(dataDir, 0o755); // as root, the server runs as `postgres` and must reach its directory
    port = await freePort();
    pgPort = await freePort();
  });
  afterAll(async () => {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await new Promise((r) => app!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  function start(): ChildProcess {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_DIR: join(dataDir, 'pg'),
      ADMIN_EMAIL: 'admin@embedded.example',
      ADMIN_PASSWORD: 'embedded-password',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    };
    delete env.DATABASE_URL;
    return spawn(process.execPath, [MAIN], { env, stdio: 'ignore' });
  }

  async function ready(): Promise<void> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('the service did not become ready');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const signIn = (email: string, password: string) =>
    fetch(`http://127.0.0.1:${port}/api/v1/auth/sign_in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email, password } }),
    });

  it('serves readiness, keeps data across restarts and a kill -9, and stops its database on SIGTERM', async () => {
    app = start();
    await ready();
    const admin = (await (await signIn('admin@embedded.example', 'embedded-password')).json()) as { token: string };
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ user: { email: 'kept@embedded.example', password: 'kept-password', role: 'driver', title: 'Kept' } }),
    });
    expect(created.status).toBe(201);

    app.kill('SIGKILL');
    await new Promise((r) => app!.once('exit', r));
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(true); // the database outlived the app

    app = start();
    await ready();
    expect((await signIn('kept@embedded.example', 'kept-password')).status).toBe(200);

    app.kill('SIGTERM');
    const code = await new Promise((r) => app!.once('exit', r));
    expect(code).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false); // stopped with the app

    app = start();
    await ready();
    expect((await signIn('kept@embedded.example', 'kept-password')).status).toBe(200);
  }, 150_000);
});
