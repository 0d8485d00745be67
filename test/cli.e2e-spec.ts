import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';
import { freePort } from './support/processes';

/**
 * The admin CLI (apps/cli) as `npm run cli -- …` runs it: the built main.js in its own process,
 * on the run's database (DATABASE_URL), and on an embedded PostgreSQL it starts and stops itself.
 * What it creates is checked through the API and in the tables.
 */
const CLI = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
const STACK = /(\bat \S+ \(|\bat \/|node_modules|\.[jt]s:\d+)/;
const STATUSES = ['pending', 'scheduled', 'amended', 'rejected', 'cancelled', 'completed', 'no_show'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = { ...process.env }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A successful run's JSON answer, or a failure that shows what the CLI said. */
function answer(run: Run): any {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}


describe('the admin CLI', () => {
  let t: TestApp;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
    t = await TestApp.start(AppModule);
  });
  afterAll(async () => {
    await t?.close();
  });

  const query = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => t.dataSource.query(sql, params);

  describe('user:create', () => {
    it('creates an interviewer, prints it as JSON, and the account signs in through the API', async () => {
      const email = `cli-${randomUUID()}@test.example`;
      const run = await cli(['user:create', '--email', email, '--password', 'a-cli-password', '--role', 'interviewer', '--title', 'Ada Lovelace', '--phone', '07700 900123']);
      const user = answer(run);
      expect(user).toMatchObject({ email, role: 'interviewer', title: 'Ada Lovelace', phone_number: '07700 900123' });
      expect(typeof user.id).toBe('number');
      expect(user).not.toHaveProperty('interviewee');
      expect(JSON.stringify(user)).not.toContain('a-cli-password');

      const token = await t.signIn(email, 'a-cli-password');
      expect((await t.get('/api/v1/interviews', { token })).status).toBe(200);
    });

    it('enrols a driver as an interviewee (kind interview unless told), whom an interviewer can book', async () => {
      const email = `cli-${randomUUID()}@test.example`;
      const driver = answer(await cli(['user:create', '--email', email, '--password', 'a-cli-password', '--role', 'driver', '--title', 'Jack Driver']));
      expect(driver).toMatchObject({ email, role: 'driver', interviewee: { kind: 'interview' } });
      const [row] = await query(`SELECT driver_id::int AS driver_id, kind FROM interviewees WHERE id = $1`, [driver.interviewee.id]);
      expect(row).toEqual({ driver_id: driver.id, kind: 'interview' });

      const verified = answer(
        await cli(['user:create', '--email', `cli-${randomUUID()}@test.example`, '--password', 'a-cli-password', '--role', 'driver', '--title', 'Vera Fied', '--kind', 'verified']),
      );
      expect(verified.interviewee.kind).toBe('verified');

      const driverToken = await t.signIn(email, 'a-cli-password');
      expect((await t.get('/api/v1/users/interviews', { token: driverToken })).status).toBe(200);
      const interviewer = await t.user('interviewer');
      const start = new Date(Date.now() + 48 * 3600_000);
      const booked = await t.post('/api/v1/interviews', {
        token: interviewer.token,
        body: { interview: { interviewee_id: driver.interviewee.id, start_at: start.toISOString(), end_at: new Date(start.getTime() + 1800_000).toISOString(), kind: 'video_call', location: 'Leeds' } },
      });
      expect(booked.status).toBe(201);
    });

    it('refuses an unknown role on stderr with a non-zero exit, no stack, and creates nothing', async () => {
      const email = `cli-${randomUUID()}@test.example`;
      const run = await cli(['user:create', '--email', email, '--password', 'a-cli-password', '--role', 'superuser', '--title', 'Nobody']);
      expect(run.code).not.toBe(0);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('--role');
      expect(run.stderr).toContain('superuser');
      expect(run.stderr).toContain('interviewer, driver, admin');
      expect(run.stderr).not.toMatch(STACK);
      expect(await query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
    });

    it('refuses a missing email, a bad one and a short password the same way', async () => {
      const missing = await cli(['user:create', '--password', 'a-cli-password', '--role', 'admin', '--title', 'No Mail']);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/required option '--email/);
      expect(missing.stderr).not.toMatch(STACK);

      const bad = await cli(['user:create', '--email', 'not-an-email', '--password', 'short', '--role', 'admin', '--title', 'X']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--email: must be an email address');
      expect(bad.stderr).toContain('--password: must be 8 to 200 characters');
      expect(bad.stderr).not.toMatch(STACK);
    });

    it('refuses an email that is taken (in any case) with exit code 1', async () => {
      const email = `cli-${randomUUID()}@test.example`;
      answer(await cli(['user:create', '--email', email, '--password', 'a-cli-password', '--role', 'admin', '--title', 'First']));
      const again = await cli(['user:create', '--email', email.toUpperCase(), '--password', 'a-cli-password', '--role', 'admin', '--title', 'Second']);
      expect(again.code).toBe(1);
      expect(again.stdout).toBe('');
      expect(again.stderr).toContain('already exists');
      expect(again.stderr).not.toMatch(STACK);
    });
  });

  describe('api-key:create', () => {
    it('prints the key once, and the public API accepts it', async () => {
      const run = await cli(['api-key:create', '--name', 'CLI test key']);
      const issued = answer(run);
      expect(issued).toMatchObject({ name: 'CLI test key' });
      expect(typeof issued.id).toBe('number');
      expect(issued.prefix).toMatch(/^ik_[0-9a-f]{8}$/);
      expect(issued.key.startsWith(`${issued.prefix}_`)).toBe(true);
      expect(run.stderr).toContain('not shown again');

      const { interview } = await t.scenario();
      const one = await t.get(`/interview/${interview.id}`, { headers: { 'x-api-key': issued.key } });
      expect(one.status).toBe(200);
      const list = await t.get('/interviews', { headers: { 'x-api-key': issued.key } });
      expect(list.status).toBe(200);
      expect(list.body.status).toBe(true);
      expect((await t.get('/interviews', { headers: { 'x-api-key': `${issued.key}x` } })).status).toBe(401);
    });

    it('needs a name', async () => {
      const run = await cli(['api-key:create']);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/required option '--name/);
      expect(run.stderr).not.toMatch(STACK);
    });
  });

  describe('seed:demo', () => {
    const demoInterviews = () =>
      query<{ id: string; status: string; version: number; amended_by: string | null; start_at: Date; events: number; first: string }>(
        `SELECT i.id, i.status, i.version, i.amended_by, i.start_at,
                (SELECT count(*)::int FROM interview_events e WHERE e.interview_id = i.id) AS events,
                (SELECT type FROM interview_events e WHERE e.interview_id = i.id ORDER BY e.id LIMIT 1) AS first
         FROM interviews i JOIN users u ON u.id = i.interviewer_id
         WHERE u.email LIKE '%@demo.example' ORDER BY i.id`,
      );
    const counts = async () =>
      (
        await query(`SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM interviews) AS interviews,
                            (SELECT count(*)::int FROM interview_events) AS events, (SELECT count(*)::int FROM interviewees) AS interviewees`)
      )[0];

    it('loads interviews in every status through the commands, each change with its event, and runs again without change', async () => {
      const first = await cli(['seed:demo']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('admin@demo.example');
      expect(first.stdout).toContain('demo-password');

      const interviews = await demoInterviews();
      expect(new Set(interviews.map((i) => i.status))).toEqual(new Set(STATUSES));
      const amended = interviews.filter((i) => i.status === 'amended').map((i) => i.amended_by);
      expect(new Set(amended)).toEqual(new Set(['interviewer', 'interviewee']));
      for (const interview of interviews) {
        // one event for the creation and one per change since: as many as versions
        expect(interview.first).toBe('interview.created');
        expect(interview.events).toBe(interview.version);
        if (['completed', 'no_show'].includes(interview.status)) expect(interview.start_at.getTime()).toBeLessThan(Date.now());
      }
      const types = (await query<{ type: string }>(
        `SELECT DISTINCT e.type FROM interview_events e JOIN interviews i ON i.id = e.interview_id JOIN users u ON u.id = i.interviewer_id
         WHERE u.email LIKE '%@demo.example'`,
      )).map((r) => r.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'interview.created', 'interview.accepted', 'interview.amended', 'interview.amendment_accepted', 'interview.amendment_declined',
          'interview.rejected', 'interview.cancelled', 'interview.completed', 'interview.no_show', 'interview.config_updated',
        ]),
      );
      // the event log reads as a history: ids and occurred_at grow together, none in the future
      const log = await query<{ occurred_at: Date }>(
        `SELECT e.occurred_at FROM interview_events e JOIN interviews i ON i.id = e.interview_id JOIN users u ON u.id = i.interviewer_id
         WHERE u.email LIKE '%@demo.example' ORDER BY e.id`,
      );
      const times = log.map((e) => e.occurred_at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());

      // the demo logins work, and the API shows the demo
      const admin = await t.signIn('admin@demo.example', 'demo-password');
      const completed = await t.get('/api/v1/interviews?status=completed&per_page=100', { token: admin });
      expect(completed.status).toBe(200);
      expect(completed.body.interviews.map((i: { id: number }) => i.id)).toEqual(
        expect.arrayContaining(interviews.filter((i) => i.status === 'completed').map((i) => Number(i.id))),
      );
      const driver = await t.signIn('jack.thompson@demo.example', 'demo-password');
      const own = await t.get('/api/v1/users/interviews', { token: driver });
      expect(own.status).toBe(200);
      expect(own.body.interviews.length).toBeGreaterThan(0);

      const before = await counts();
      const second = await cli(['seed:demo']);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/already in place/);
      expect(await counts()).toEqual(before);
    });
  });

  describe('db:migrate', () => {
    it('exits 0 and says that no migration is pending', async () => {
      const run = await cli(['db:migrate']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/No pending migrations: the database is up to date \(\d+ applied, latest \w+\)/);
    });
  });

  describe('on the embedded PostgreSQL (DATABASE_URL unset)', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'interviews-cli-'));
      chmodSync(dataDir, 0o755); // as root, the server runs as `postgres` and must reach its directory
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('starts it before the command, stops it after, and keeps the data for the next run', async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: join(dataDir, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) };
      delete env.DATABASE_URL;

      const migrate = await cli(['db:migrate'], env);
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toMatch(/Applied \d+ migrations?:/);
      expect(migrate.stdout).toContain('No pending migrations');
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

      const email = `embedded-${randomUUID()}@test.example`;
      answer(await cli(['user:create', '--email', email, '--password', 'a-cli-password', '--role', 'admin', '--title', 'Embedded'], env));
      const again = await cli(['user:create', '--email', email, '--password', 'a-cli-password', '--role', 'admin', '--title', 'Embedded'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already exists');
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    }, 180_000);
  });
});
