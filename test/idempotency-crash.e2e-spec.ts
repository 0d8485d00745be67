import { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';
import { call } from './support/http-call';
import { DIST, freePort, startApp, stopProcess, waitFor } from './support/processes';

/**
 * Issue 16, item 2, with real processes and sockets: the built API is SIGKILLed in the middle of a
 * burst of amends, each with its own Idempotency-Key, and started again. Once the lease has run
 * out, every retry with its key is answered (none stays 409 idempotency_in_progress), and each
 * interview was amended exactly once, whether its first run had answered, committed and died, or
 * died before committing.
 */
const LEASE_SECONDS = 2;
const BURST = 16;

describe('Idempotency-Key across a SIGKILL of the API', () => {
  let t: TestApp;
  let app: ChildProcess | undefined;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(async () => {
    await stopProcess(app, 'SIGKILL');
    await t.close();
  });

  it('answers every retry once the lease is over, and amends each interview exactly once', async () => {
    if (!existsSync(join(DIST, 'apps', 'api', 'src', 'main.js'))) throw new Error('run npm run build first (npm test does)');
    const cases: { id: number; token: string; key: string; body: { interview: { amend_start_at: string; amend_end_at: string } } }[] = [];
    const { interviewer, interviewee, start } = await t.scenario();
    for (let i = 0; i < BURST; i++) {
      const at = (hours: number) => new Date(start.getTime() + (i * 4 + hours) * 3600_000).toISOString();
      const created = await t.post('/api/v1/interviews', {
        token: interviewer.token,
        body: { interview: { interviewee_id: interviewee.id, start_at: at(1), end_at: at(1.5), kind: 'video_call', location: null } },
      });
      if (created.status !== 201) throw new Error(`interview creation failed: ${created.status} ${created.text}`);
      cases.push({ id: created.body.interview.id, token: interviewer.token, key: `crash-${i}`, body: { interview: { amend_start_at: at(2), amend_end_at: at(2.5) } } });
    }
    const port = await freePort();
    const launch = () => startApp({ PORT: String(port), DATABASE_URL: process.env.DATABASE_URL, IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS), RELAY: 'off' });
    const ready = () => waitFor(async () => (await call(port, 'GET', '/health/ready', {})).status === 200, 30000, 'ready');
    const amend = (c: (typeof cases)[number]) =>
      call(port, 'POST', `/api/v1/interviews/${c.id}/amend`, { authorization: `Bearer ${c.token}`, 'idempotency-key': c.key }, c.body);

    app = launch();
    await ready();
    for (let i = 0; i < 20; i++) await call(port, 'GET', `/api/v1/interviews/${cases[0].id}`, { authorization: `Bearer ${cases[0].token}` }); // warm
    // The whole burst is sent at once; the API is killed once a third of it has been claimed.
    const first = cases.map((c) => amend(c).catch(() => undefined));
    const claimed = async () => Number((await t.dataSource.query(`SELECT count(*) FROM idempotency_keys WHERE key LIKE 'crash-%'`))[0].count);
    const deadline = Date.now() + 10_000;
    while ((await claimed()) < BURST / 3 && Date.now() < deadline);
    await stopProcess(app, 'SIGKILL');
    const answeredBeforeKill = (await Promise.all(first)).filter((a) => a !== undefined).length;

    const rows: { key: string; status: number | null; committed_resource: string | null }[] = await t.dataSource.query(
      `SELECT key, status, committed_resource FROM idempotency_keys WHERE key LIKE 'crash-%'`,
    );
    const claimedUnanswered = rows.filter((r) => r.status === null);
    const committedUnanswered = claimedUnanswered.filter((r) => r.committed_resource !== null).length;

    app = launch();
    await ready();
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 200));
    const retries = await Promise.all(cases.map(amend));

    const amendedEvents: { interview_id: string; count: number }[] = await t.dataSource.query(
      `SELECT interview_id::text, count(*)::int AS count FROM interview_events WHERE type = 'interview.amended' AND interview_id = ANY($1::bigint[]) GROUP BY interview_id`,
      [cases.map((c) => c.id)],
    );
    const stuck = Number((await t.dataSource.query(`SELECT count(*) FROM idempotency_keys WHERE key LIKE 'crash-%' AND status IS NULL`))[0].count);
    console.log(
      `idempotency after SIGKILL: ${BURST} keys; ${answeredBeforeKill} answered before the kill; ${rows.length} claimed, ` +
        `${claimedUnanswered.length} of them without an answer (${committedUnanswered} with their change committed); ` +
        `retries: ${retries.filter((r) => r.status === 200).length} × 200; keys still unanswered: ${stuck}`,
    );

    expect(retries.map((r) => r.status)).toEqual(cases.map(() => 200));
    for (const [i, retry] of retries.entries()) expect(JSON.parse(retry.body).interview.amend_start_at).toBe(cases[i].body.interview.amend_start_at);
    expect(amendedEvents.map((e) => e.count)).toEqual(cases.map(() => 1));
    expect(amendedEvents).toHaveLength(BURST);
    expect(stuck).toBe(0);
  }, 90_000);
});
