import { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp, startPostgresProcess, stopProcess, waitFor } from './support/processes';

/** Run like a real service: fail fast with 503 while the database is away, recover alone, drain on SIGTERM. */
interface Answer {
  status: number;
  body: string;
}

/** One request on its own connection (no keep-alive), so "accepted" means this connection was. */
function call(port: number, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function signIn(port: number, email: string, password: string): Promise<string> {
  const res = await call(port, 'POST', '/api/v1/auth/sign_in', { user: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.body}`);
  return JSON.parse(res.body).token;
}

describe('operations', () => {
  const admin = { ADMIN_EMAIL: 'ops-admin@test.example', ADMIN_PASSWORD: 'ops-admin-password' };

  describe('when the database goes away', () => {
    let dataDir: string;
    let pg: ChildProcess | undefined;
    let app: ChildProcess | undefined;
    let port: number;

    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'interviews-outage-'));
      chmodSync(dataDir, 0o755);
    });
    afterAll(async () => {
      await stopProcess(app);
      await stopProcess(pg);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers 503 fast, fails readiness, and serves again once the database is back, without a restart', async () => {
      const pgPort = await freePort();
      port = await freePort();
      const started = await startPostgresProcess(join(dataDir, 'pg'), pgPort);
      pg = started.process;
      app = startApp({ PORT: String(port), DATABASE_URL: started.url, RELAY: 'inline', ...admin });
      await waitFor(async () => (await call(port, 'GET', '/health/ready')).status === 200, 30000, 'ready');
      const token = await signIn(port, admin.ADMIN_EMAIL, admin.ADMIN_PASSWORD);
      expect((await call(port, 'GET', '/api/v1/me', undefined, token)).status).toBe(200);

      await stopProcess(pg);
      const before = Date.now();
      const me = await call(port, 'GET', '/api/v1/me', undefined, token);
      expect(me.status).toBe(503);
      expect(JSON.parse(me.body)).toEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
      expect(Date.now() - before).toBeLessThan(6000);
      const ready = await call(port, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toContain('database');

      pg = (await startPostgresProcess(join(dataDir, 'pg'), pgPort)).process;
      await waitFor(async () => (await call(port, 'GET', '/health/ready')).status === 200, 30000, 'ready again');
      expect((await call(port, 'GET', '/api/v1/me', undefined, token)).status).toBe(200);
    }, 120_000);
  });

  describe('on SIGTERM during a burst', () => {
    let app: ChildProcess | undefined;
    afterAll(() => stopProcess(app, 'SIGKILL'));

    it('finishes every request it accepted: each 200 is a committed change, nothing half-done, no 5xx but 503', async () => {
      const port = await freePort();
      app = startApp({ PORT: String(port), DATABASE_URL: process.env.DATABASE_URL, ...admin });
      await waitFor(async () => (await call(port, 'GET', '/health/ready')).status === 200, 30000, 'ready');
      const adminToken = await signIn(port, admin.ADMIN_EMAIL, admin.ADMIN_PASSWORD);
      const stamp = Date.now();
      const mkUser = async (role: string, i: number) => {
        const email = `sigterm-${role}-${i}-${stamp}@test.example`;
        const res = await call(port, 'POST', '/api/v1/admin/users', { user: { email, password: 'a-test-password', role, title: `${role} ${i}` } }, adminToken);
        return { id: JSON.parse(res.body).user.id as number, token: await signIn(port, email, 'a-test-password') };
      };
      const interviewer = await mkUser('interviewer', 0);
      const driver = await mkUser('driver', 0);
      const interviewee = JSON.parse(
        (await call(port, 'POST', '/api/v1/admin/interviewees', { interviewee: { driver_id: driver.id, kind: 'verified' } }, adminToken)).body,
      ).interviewee;
      const base = Date.now() + 30 * 24 * 3600_000 + (stamp % 1000) * 3600_000;
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = new Date(base + i * 86400_000);
        const res = await call(port, 'POST', '/api/v1/interviews', {
          interview: { interviewee_id: interviewee.id, start_at: start.toISOString(), end_at: new Date(start.getTime() + 1800_000).toISOString(), kind: 'video_call' },
        }, interviewer.token);
        ids.push(JSON.parse(res.body).interview.id);
      }

      const burst = Array.from({ length: 150 }, (_, n) => {
        const id = ids[n % ids.length];
        const start = new Date(base + (n % ids.length) * 86400_000 + (n + 1) * 60_000);
        return call(port, 'POST', `/api/v1/interviews/${id}/amend`, {
          interview: { amend_start_at: start.toISOString(), amend_end_at: new Date(start.getTime() + 1800_000).toISOString() },
        }, interviewer.token).then(
          (answer) => ({ id, answer }),
          (error: NodeJS.ErrnoException) => ({ id, error: error.code ?? error.message }),
        );
      });
      await Promise.race(burst); // the first amend is through: the burst is under way
      const exited = stopProcess(app, 'SIGTERM');
      const results = await Promise.all(burst);
      expect(await exited).toBe(0);

      const ok = results.filter((r) => 'answer' in r && r.answer.status === 200);
      const statuses = new Set(results.flatMap((r) => ('answer' in r ? [r.answer.status] : [])));
      for (const status of statuses) expect([200, 503]).toContain(status);
      const errors = new Set(results.flatMap((r) => ('error' in r ? [r.error] : [])));
      for (const code of errors) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(code);
      expect(ok.length).toBeGreaterThan(0);

      // Every 200 is a committed amend with its event; nothing else was half-written.
      const { Client } = await import('pg');
      const db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM interview_events WHERE type = 'interview.amended' AND interview_id = ANY($1::bigint[])`,
        [ids],
      );
      const versions = await db.query(`SELECT coalesce(sum(version - 1), 0)::int AS n FROM interviews WHERE id = ANY($1::bigint[])`, [ids]);
      await db.end();
      expect(rows[0].n).toBe(ok.length);
      expect(versions.rows[0].n).toBe(ok.length);
    }, 120_000);
  });
});
