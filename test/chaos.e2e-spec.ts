import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { Client } from 'pg';
import { WebhookReceiver } from '#testing';
import { type Answer, call } from './support/http-call';
import { DIST, freePort, startApp, startPostgresProcess, stopProcess, waitFor } from './support/processes';

/**
 * Issue 16, the chaos test: one mixed burst of interview changes (creates, accepts, amends,
 * acceptances of amendments, micro1 config updates), each sent with its own Idempotency-Key and
 * retried with it until it gets an answer, while the API is SIGKILLed, a worker is SIGKILLed,
 * PostgreSQL is restarted and RabbitMQ is stopped and started (`rabbitmqctl stop_app` /
 * `start_app`; skipped, saying so, without AMQP_URL or rabbitmqctl). Afterwards:
 * - every change that committed has exactly one event and every event one change (each
 *   interview's version equals its number of events, and the flow's five steps made five);
 * - every event reached the webhook receiver and the queue at least once;
 * - no Idempotency-Key is left without an answer;
 * - every retry got the first answer or a fresh run, never a second change.
 */
const TRACKS = 8;
const LEASE_SECONDS = 2;
const admin = { ADMIN_EMAIL: 'chaos-admin@test.example', ADMIN_PASSWORD: 'chaos-admin-password' };
const WORKER = join(DIST, 'apps', 'worker', 'src', 'main.js');

function rabbitmqctl(...args: string[]): boolean {
  try {
    execFileSync('rabbitmqctl', args, { stdio: 'ignore', timeout: 60000 });
    return true;
  } catch {
    return false;
  }
}

/** A durable queue of its own on the `interviews` exchange, consumed again after the broker comes back. */
class DurableProbe {
  readonly ids = new Map<number, number>();
  private connection?: ChannelModel;
  private channel?: Channel;
  private closed = false;
  constructor(
    private readonly url: string,
    readonly queue: string,
  ) {}

  async start(): Promise<void> {
    for (;;) {
      try {
        this.connection = await connect(this.url);
        this.connection.on('error', () => undefined);
        this.connection.on('close', () => {
          if (!this.closed) setTimeout(() => void this.start(), 500);
        });
        this.channel = await this.connection.createChannel();
        await this.channel.assertExchange('interviews', 'topic', { durable: true });
        await this.channel.assertQueue(this.queue, { durable: true });
        await this.channel.bindQueue(this.queue, 'interviews', '#');
        await this.channel.consume(this.queue, (m) => m && this.ids.set(Number(m.properties.messageId), (this.ids.get(Number(m.properties.messageId)) ?? 0) + 1), {
          noAck: true,
        });
        return;
      } catch {
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.channel?.deleteQueue(this.queue).catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}

describe('chaos: crashes and restarts under a mixed burst', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chaos-'));
  chmodSync(dataDir, 0o755); // the embedded server runs as another user when started as root
  let pg: ChildProcess | undefined;
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let receiver: WebhookReceiver;
  let probe: DurableProbe | undefined;
  let db: Client | undefined;
  let supervising = false;

  afterAll(async () => {
    supervising = false;
    await stopProcess(api, 'SIGKILL');
    await stopProcess(worker, 'SIGKILL');
    await stopProcess(worker, 'SIGKILL');
    await receiver?.stop();
    await probe?.stop();
    await db?.end().catch(() => undefined);
    await stopProcess(pg);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps one event per change, delivers every event, leaves no key stuck and never changes twice', async () => {
    if (!existsSync(WORKER)) throw new Error('run npm run build first (npm test does)');
    const brokerUrl = process.env.AMQP_URL || undefined;
    const broker = Boolean(brokerUrl) && rabbitmqctl('status');
    if (!broker) console.warn('chaos test: no AMQP_URL or no rabbitmqctl here: the broker half (queue and stop_app/start_app) is SKIPPED');

    const pgPort = await freePort();
    const started = await startPostgresProcess(join(dataDir, 'pg'), pgPort);
    pg = started.process;
    const port = await freePort();
    const common: Record<string, string | undefined> = {
      AMQP_URL: broker ? brokerUrl : undefined,
      DATABASE_URL: started.url,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_RETRY_SCALE: '0.001',
      IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS),
      RETENTION: 'off',
    };
    const startApi = () => startApp({ ...common, ...admin, PORT: String(port), RELAY: 'off' });
    const startWorker = () =>
      spawn(process.execPath, [WORKER], { env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'development', ...common }, stdio: 'ignore' });
    const ready = () => waitFor(async () => (await call(port, 'GET', '/health/ready')).status === 200, 60000, 'API ready');

    // As a process supervisor would: whatever exits is started again (a start during the database's
    // restart fails fast and is retried too).
    supervising = true;
    const supervise = (start: () => ChildProcess, set: (child: ChildProcess) => void) => {
      const child = start();
      set(child);
      child.once('exit', () => {
        if (supervising) setTimeout(() => supervising && supervise(start, set), 300);
      });
    };
    supervise(startApi, (child) => (api = child));
    await ready();
    supervise(startWorker, (child) => (worker = child));
    receiver = new WebhookReceiver();
    const hookUrl = await receiver.start();
    if (broker) {
      probe = new DurableProbe(brokerUrl!, `chaos-${Date.now()}`);
      await probe.start();
    }

    // The cast, through the API: an admin, an API key, a webhook, and per track an interviewer and a driver.
    const json = (a: Answer) => JSON.parse(a.body);
    const signIn = async (email: string, password: string) => json(await call(port, 'POST', '/api/v1/auth/sign_in', {}, { user: { email, password } })).token as string;
    const adminToken = await signIn(admin.ADMIN_EMAIL, admin.ADMIN_PASSWORD);
    const asAdmin = { authorization: `Bearer ${adminToken}` };
    expect((await call(port, 'POST', '/api/v1/admin/webhooks', asAdmin, { webhook: { url: hookUrl, events: ['*'] } })).status).toBe(201);
    const apiKey = json(await call(port, 'POST', '/api/v1/admin/api_keys', asAdmin, { api_key: { name: 'chaos' } })).api_key.key as string;
    const tracks = [];
    for (let i = 0; i < TRACKS; i++) {
      const password = 'chaos-password-123';
      const make = async (role: string) => {
        const email = `chaos-${role}-${i}@test.example`;
        const created = json(await call(port, 'POST', '/api/v1/admin/users', asAdmin, { user: { email, password, role, title: `${role} ${i}` } }));
        return { id: created.user.id as number, token: await signIn(email, password) };
      };
      const interviewer = await make('interviewer');
      const driver = await make('driver');
      const interviewee = json(await call(port, 'POST', '/api/v1/admin/interviewees', asAdmin, { interviewee: { driver_id: driver.id, kind: 'verified' } })).interviewee;
      tracks.push({ i, interviewer, driver, intervieweeId: interviewee.id as number });
    }

    // One client per track, each step with its own key, retried with it until it has an answer.
    const stats = { requests: 0, retries: 0, replayed: 0, inProgress: 0, unavailable: 0, failedConnections: 0, answered: 0 };
    const deadline = Date.now() + 120_000;
    const sent: { key: string; method: string; path: string; headers: Record<string, string>; body?: unknown; answer?: Answer }[] = [];
    async function step(key: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
      const record: (typeof sent)[number] = { key, method, path, headers, body };
      sent.push(record);
      let last = '';
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) stats.retries++;
        if (Date.now() > deadline) throw new Error(`${key}: no answer within the deadline (last: ${last})`);
        stats.requests++;
        try {
          const answer = await call(port, method, path, { ...headers, 'idempotency-key': key }, body);
          last = `${answer.status} ${answer.body.slice(0, 200)}`;
          if (answer.headers['idempotent-replayed'] === 'true') stats.replayed++;
          if (answer.status === 409 && answer.body.includes('idempotency_in_progress')) stats.inProgress++;
          else if (answer.status >= 500) stats.unavailable++;
          else {
            stats.answered++;
            record.answer = answer;
            await new Promise((r) => setTimeout(r, 100)); // the burst lasts through every blow below
            return answer;
          }
        } catch (error) {
          last = String((error as Error).message);
          stats.failedConnections++;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const at = (i: number, hours: number) => new Date(Date.now() + (48 + i * 6 + hours) * 3600_000);
    const flows = tracks.map(async ({ i, interviewer, driver, intervieweeId }) => {
      const asInterviewer = { authorization: `Bearer ${interviewer.token}` };
      const asDriver = { authorization: `Bearer ${driver.token}` };
      const answers: Answer[] = [];
      const start = at(i, 0);
      const created = await step(`chaos-${i}-create`, 'POST', '/api/v1/interviews', asInterviewer, {
        interview: { interviewee_id: intervieweeId, start_at: start.toISOString(), end_at: new Date(start.getTime() + 1800_000).toISOString(), kind: 'video_call', location: null },
      });
      answers.push(created);
      const id = json(created).interview.id as number;
      answers.push(await step(`chaos-${i}-accept`, 'POST', `/api/v1/users/interviews/${id}/accept`, asDriver));
      const proposal = at(i, 2);
      answers.push(
        await step(`chaos-${i}-amend`, 'POST', `/api/v1/interviews/${id}/amend`, asInterviewer, {
          interview: { amend_start_at: proposal.toISOString(), amend_end_at: new Date(proposal.getTime() + 1800_000).toISOString() },
        }),
      );
      answers.push(await step(`chaos-${i}-accept-amendment`, 'POST', `/api/v1/users/interviews/${id}/accept`, asDriver));
      answers.push(await step(`chaos-${i}-config`, 'PUT', `/interview/${id}`, { 'x-api-key': apiKey }, { interview_name: `Chaos ${i}` }));
      return { id, answers };
    });

    // The chaos, each blow when the burst has got so far, so that every one lands on requests in flight.
    const chaos = (async () => {
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const until = async (answered: number) => {
        while (stats.answered < answered && Date.now() < deadline) await pause(20);
      };
      const steps = TRACKS * 5;
      await pause(150); // the creates are on the wire
      await stopProcess(api, 'SIGKILL');
      await ready();
      await until(steps * 0.3);
      await stopProcess(worker, 'SIGKILL');
      await until(steps * 0.5);
      await stopProcess(pg);
      pg = (await startPostgresProcess(join(dataDir, 'pg'), pgPort)).process;
      await until(steps * 0.7);
      if (broker) {
        rabbitmqctl('stop_app');
        await pause(1500);
        rabbitmqctl('start_app');
      }
    })();
    const results = await Promise.all(flows);
    await chaos;
    supervising = false;

    // Everything the flows changed is in the log; the relay catches up.
    db = new Client({ connectionString: started.url });
    await db.connect();
    const ids = results.map((r) => r.id);
    const { rows: perInterview } = await db.query<{ id: string; version: number; events: number }>(
      `SELECT i.id::text, i.version, (SELECT count(*)::int FROM interview_events e WHERE e.interview_id = i.id) AS events
         FROM interviews i WHERE i.id = ANY($1::bigint[]) ORDER BY i.id`,
      [ids],
    );
    const { rows: eventRows } = await db.query<{ id: string }>(`SELECT id::text FROM interview_events WHERE interview_id = ANY($1::bigint[])`, [ids]);
    const events = eventRows.map((r) => Number(r.id));
    await receiver.waitFor(() => events.every((e) => receiver.ids().includes(e)), 60000);
    if (probe) await waitFor(async () => events.every((e) => probe!.ids.has(e)), 60000, 'every event in the queue');
    // Every request once more with its key, after the lease: each is answered as before (stored, or
    // from the committed change when its answer was lost with the database), and nothing changes.
    const unansweredBefore = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM idempotency_keys WHERE status IS NULL`)).rows[0].count;
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 500));
    const again = await Promise.all(sent.map((r) => call(port, r.method, r.path, { ...r.headers, 'idempotency-key': r.key }, r.body)));
    expect(again.map((a) => a.status)).toEqual(sent.map((r) => r.answer!.status));
    const [{ count: stuck }] = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM idempotency_keys WHERE status IS NULL`)).rows;
    const { rows: perInterviewAfter } = await db.query<{ id: string; version: number; events: number }>(
      `SELECT i.id::text, i.version, (SELECT count(*)::int FROM interview_events e WHERE e.interview_id = i.id) AS events
         FROM interviews i WHERE i.id = ANY($1::bigint[]) ORDER BY i.id`,
      [ids],
    );
    expect(perInterviewAfter).toEqual(perInterview);
    const { rows: interviewsTotal } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM interviews`);

    const webhookRepeats = receiver.ids().filter((e) => events.includes(e)).length - events.length;
    const queueRepeats = probe ? [...probe.ids.entries()].filter(([e]) => events.includes(e)).reduce((sum, [, n]) => sum + n - 1, 0) : 0;
    console.log(
      `chaos: ${TRACKS} flows × 5 steps; ${stats.requests} requests (${stats.retries} retries: ${stats.failedConnections} failed connections, ` +
        `${stats.unavailable} 5xx, ${stats.inProgress} × 409 in progress; ${stats.replayed} replayed answers); ` +
        `${perInterview.length} interviews, ${events.length} events; webhook deliveries ${events.length} + ${webhookRepeats} repeats; ` +
        (probe ? `queue ${events.length} + ${queueRepeats} repeats; ` : 'queue SKIPPED; ') +
        `keys left without a stored answer by the chaos: ${unansweredBefore}, after a retry of every request: ${stuck}`,
    );

    // Every step answered as a first run would: nothing refused as a repeat of itself.
    for (const { answers } of results) expect(answers.map((a) => a.status)).toEqual([201, 200, 200, 200, 200]);
    // One interview per create (no second run made another), one event per change, five changes each.
    expect(interviewsTotal[0].count).toBe(TRACKS);
    expect(perInterview.map((r) => r.events)).toEqual(ids.map(() => 5));
    expect(perInterview.map((r) => r.version)).toEqual(ids.map(() => 5));
    expect(events.filter((e) => !receiver.ids().includes(e))).toEqual([]);
    if (probe) expect(events.filter((e) => !probe!.ids.has(e))).toEqual([]);
    expect(stuck).toBe(0);
  }, 300_000);
});
