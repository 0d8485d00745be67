import { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { DIST, freePort, startApp, stopProcess, waitFor } from './support/processes';

/**
 * "On SIGTERM readiness turns 503 at once, every request already accepted is answered, then the
 * process exits (within 15 s)". The built API, requests each on its own connection, SIGTERM in the
 * middle of the burst: none is reset, none refused, every one answered.
 */
const DRAIN_MS = 1500;
const admin = { ADMIN_EMAIL: 'drain-admin@test.example', ADMIN_PASSWORD: 'drain-admin-password' };

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

function call(port: number, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false, // a connection of its own: "accepted" means this connection was
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('SIGTERM drain', () => {
  let app: ChildProcess | undefined;
  afterAll(() => stopProcess(app, 'SIGKILL'));

  it('turns readiness 503 at once, answers every request on every connection it accepted, and exits 0 within 15 s', async () => {
    if (!existsSync(join(DIST, 'apps', 'api', 'src', 'main.js'))) throw new Error('run npm run build first (npm test does)');
    const port = await freePort();
    app = startApp({ PORT: String(port), DATABASE_URL: process.env.DATABASE_URL, SHUTDOWN_DRAIN_MS: String(DRAIN_MS), ...admin });
    await waitFor(async () => (await call(port, 'GET', '/health/ready')).status === 200, 30000, 'ready');
    const signIn = await call(port, 'POST', '/api/v1/auth/sign_in', { user: { email: admin.ADMIN_EMAIL, password: admin.ADMIN_PASSWORD } });
    const token = JSON.parse(signIn.body).token as string;

    type Result = { phase: 'before' | 'during'; answer?: Answer; error?: string };
    const fire = (phase: Result['phase']): Promise<Result> =>
      call(port, 'GET', '/api/v1/me', undefined, token).then(
        (answer) => ({ phase, answer }),
        (error: NodeJS.ErrnoException) => ({ phase, error: error.code ?? error.message }),
      );

    const results: Promise<Result>[] = Array.from({ length: 60 }, () => fire('before'));
    await new Promise((r) => setTimeout(r, 20)); // the burst is on the wire
    const signalled = Date.now();
    const exited = new Promise<number | null>((resolve) => app!.once('exit', (code) => resolve(code)));
    app.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    const ready = await call(port, 'GET', '/health/ready');
    // 60 more over the next 300 ms, each on a new connection, as a load balancer that has not yet noticed would send.
    for (let i = 0; i < 60; i++) {
      results.push(fire('during'));
      await new Promise((r) => setTimeout(r, 5));
    }
    const all = await Promise.all(results);
    const code = await exited;
    const tookMs = Date.now() - signalled;

    const errors = all.filter((r) => r.error).map((r) => r.error);
    const statuses = all.flatMap((r) => (r.answer ? [r.answer.status] : []));
    console.log(`SIGTERM drain: ${statuses.length} answered (${statuses.filter((s) => s === 200).length} × 200), ${errors.length} errors [${errors.join(', ')}], exit ${code} after ${tookMs} ms`);
    expect(ready.status).toBe(503);
    expect(ready.connection).toBe('close');
    expect(errors).toEqual([]);
    expect(statuses).toHaveLength(120);
    expect(new Set(statuses)).toEqual(new Set([200]));
    // Answers sent during the drain tell the caller not to reuse the connection.
    expect(all.filter((r) => r.phase === 'during').every((r) => r.answer?.connection === 'close')).toBe(true);
    expect(code).toBe(0);
    expect(tookMs).toBeGreaterThanOrEqual(DRAIN_MS);
    expect(tookMs).toBeLessThan(15_000);
  }, 60_000);
});
