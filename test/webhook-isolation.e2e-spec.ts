import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';
import { DIST, waitFor } from './support/processes';

/**
 * Issue 16, item 3: one subscriber must not stall everyone. The built worker delivers (a child
 * process of its own, as in production) to real HTTP receivers on 127.0.0.1: 100 subscriptions
 * point at a receiver that takes every request and never answers, one at a receiver that answers
 * 204 at once. While the 100 hang, each on a request of its own until WEBHOOK_TIMEOUT_MS, the fast
 * subscriber's events still arrive within a second of their commit, in order per interview; the
 * hanging subscriptions keep order too (a later event of an interview is never sent while an
 * earlier one is pending), and a dead receiver's delivery is retried on the backoff schedule.
 */
const WORKER = join(DIST, 'apps', 'worker', 'src', 'main.js');
const STALLED = 100;
const INTERVIEWS = 5;
const EVENTS = 80; // measured, one every EVERY_MS over the interviews in turn
const EVERY_MS = 150;
const TIMEOUT_MS = 3000; // the worker's WEBHOOK_TIMEOUT_MS: how long each hanging attempt holds
const RETRY_SCALE = 0.01; // 30 s → 300 ms first wait; 24 h → 14.4 min window (no give-up here)

interface Hit {
  at: number;
  path: string;
  eventId: number;
  interviewId: number;
}

/** A receiver on a real socket: answers `status` at once, or never ('hang'); counts open requests. */
class Receiver {
  readonly hits: Hit[] = [];
  open = 0;
  private server?: Server;
  private onHit?: (hit: Hit) => void;

  constructor(private readonly status: number | 'hang') {}

  async start(onHit?: (hit: Hit) => void): Promise<string> {
    this.onHit = onHit;
    this.server = createServer((req: IncomingMessage, res) => {
      this.open++;
      res.on('close', () => this.open--);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { id: number; interview_id: number } };
        const hit = { at: Date.now(), path: req.url ?? '', eventId: json.data.id, interviewId: json.data.interview_id };
        this.hits.push(hit);
        this.onHit?.(hit);
        if (this.status === 'hang') return;
        res.statusCode = this.status;
        res.end();
      });
    });
    this.server.requestTimeout = 0; // hanging is the point; the sender's timeout ends each request
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

describe('webhook isolation: a dead receiver costs only itself', () => {
  let t: TestApp;
  let worker: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;
  const hanging = new Receiver('hang');
  const fast = new Receiver(204);
  const dead = new Receiver('hang');
  let hangingUrl: string;
  let fastUrl: string;
  let deadUrl: string;
  let interviewIds: number[] = [];
  const hookIds: number[] = [];
  /** The stalled receiver's open requests at each of the fast receiver's arrivals. */
  const openAtFastHit: number[] = [];

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first (npm test does)`);
    t = await TestApp.start(AppModule);
    hangingUrl = await hanging.start();
    fastUrl = await fast.start(() => openAtFastHit.push(hanging.open));
    deadUrl = await dead.start();
    // The interviews first: a subscription starts at the end of the log.
    const { interview, interviewer, interviewee } = await t.scenario({ inHours: 24 });
    interviewIds = [interview.id];
    for (let i = 1; i < INTERVIEWS; i++) {
      const start = new Date(Date.now() + (24 + 2 * i) * 3600_000);
      const res = await t.post('/api/v1/interviews', {
        token: interviewer.token,
        body: { interview: { interviewee_id: interviewee.id, start_at: start.toISOString(), end_at: new Date(start.getTime() + 1800_000).toISOString(), kind: 'video_call', location: 'London' } },
      });
      expect(res.status).toBe(201);
      interviewIds.push(res.body.interview.id);
    }
    const admin = await t.admin();
    const subscribe = async (url: string, events = ['*']) => {
      const res = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url, events } } });
      expect(res.status).toBe(201);
      hookIds.push(res.body.webhook.id);
    };
    for (let i = 0; i < STALLED; i++) await subscribe(`${hangingUrl}/stalled/${i}`);
    await subscribe(`${fastUrl}/fast`);

    worker = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        WEBHOOK_RETRY_SCALE: String(RETRY_SCALE),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    exited = new Promise((resolve) => worker!.once('exit', (code) => resolve(code)));
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await exited;
    // The run's database is shared by the later suites: these subscriptions must not keep their relays busy.
    if (hookIds.length) await t.dataSource.query(`UPDATE webhooks SET active = false WHERE id = ANY ($1::bigint[])`, [hookIds]);
    await Promise.all([hanging.stop(), fast.stop(), dead.stop()]);
    await t.close();
  });

  async function emit(interviewId: number, type = 'interview.config_updated'): Promise<{ id: number; committedAt: number }> {
    const [row]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO interview_events (interview_id, type, actor, data)
       VALUES ($1, $2, '{"type":"user","id":1,"role":"admin"}', '{"changed":["interview_name"]}') RETURNING id`,
      [interviewId, type],
    );
    return { id: Number(row.id), committedAt: Date.now() };
  }

  it('delivers the fast subscriber within a second, in order, while 100 subscriptions hang', async () => {
    // One event per interview: every stalled subscription gets a hanging request, and keeps one
    // open (retried as soon as the timeout ends it) for the rest of the test.
    const heads = [];
    for (const id of interviewIds) heads.push(await emit(id));
    await waitFor(async () => hanging.open >= STALLED && fast.hits.length >= INTERVIEWS, 30_000, 'all 100 stalled subscriptions hanging');
    const stalledBefore = hanging.hits.length;

    const sent = new Map<number, { committedAt: number; interviewId: number }>();
    const started = Date.now();
    for (let n = 0; n < EVENTS; n++) {
      const interviewId = interviewIds[n % INTERVIEWS];
      const event = await emit(interviewId);
      sent.set(event.id, { committedAt: event.committedAt, interviewId });
      await new Promise((r) => setTimeout(r, Math.max(0, started + (n + 1) * EVERY_MS - Date.now())));
    }
    await waitFor(async () => [...sent.keys()].every((id) => fast.hits.some((h) => h.eventId === id)), 30_000, 'every event at the fast receiver');

    const latencies = [...sent].map(([id, s]) => fast.hits.find((h) => h.eventId === id)!.at - s.committedAt).sort((a, b) => a - b);
    const open = [...openAtFastHit.slice(INTERVIEWS)].sort((a, b) => a - b);
    const stalledHits = hanging.hits.slice(stalledBefore);
    console.log(
      `webhook isolation: fast subscriber, ${latencies.length} events over ${Date.now() - started} ms with ${STALLED} subscriptions hanging ` +
        `(open stalled requests at its arrivals: min ${open[0]}, median ${percentile(open, 50)}): commit → arrival ` +
        `p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms; ` +
        `stalled attempts meanwhile: ${stalledHits.length}`,
    );

    // The fast subscriber: each event once, in commit order per interview, within the bound.
    const mine = fast.hits.filter((h) => sent.has(h.eventId));
    expect(mine).toHaveLength(EVENTS);
    for (const id of interviewIds) {
      const order = mine.filter((h) => h.interviewId === id).map((h) => h.eventId);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(percentile(latencies, 99)).toBeLessThan(1000);
    // ... and it was measured while the stalled ones were hanging, not after.
    expect(percentile(open, 50)).toBeGreaterThanOrEqual(STALLED * 0.9);

    // The stalled subscriptions: each of the 100 kept trying (retries after each timeout), and never
    // sent a later event of an interview while the first one was pending: order per interview.
    const headIds = new Set(heads.map((h) => h.id));
    const bySub = new Map<string, Hit[]>();
    for (const hit of hanging.hits) bySub.set(hit.path, [...(bySub.get(hit.path) ?? []), hit]);
    expect(bySub.size).toBe(STALLED);
    for (const [, hits] of bySub) expect(hits.filter((h) => !headIds.has(h.eventId))).toEqual([]);
    // Retried after each timeout: one slot each, so about one attempt per WEBHOOK_TIMEOUT_MS.
    const window = Date.now() - hanging.hits[0].at;
    const fewest = Math.min(...[...bySub.values()].map((hits) => hits.length));
    console.log(`webhook isolation: each stalled subscription tried at least ${fewest} times in ${window} ms`);
    expect(fewest).toBeGreaterThanOrEqual(Math.floor(window / (TIMEOUT_MS + 1000)));
  }, 90_000);

  it("retries a dead receiver's delivery on its backoff schedule meanwhile", async () => {
    const admin = await t.admin();
    const res = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url: `${deadUrl}/dead`, events: ['interview.cancelled'] } } });
    expect(res.status).toBe(201);
    hookIds.push(res.body.webhook.id);
    const event = await emit(interviewIds[0], 'interview.cancelled');
    const ATTEMPTS = 4;
    await waitFor(async () => dead.hits.length >= ATTEMPTS, 40_000, `${ATTEMPTS} attempts at the dead receiver`);

    expect(new Set(dead.hits.map((h) => h.eventId))).toEqual(new Set([event.id]));
    const first = dead.hits[0].at - event.committedAt;
    const gaps = dead.hits.slice(1, ATTEMPTS).map((h, i) => h.at - dead.hits[i].at);
    console.log(`webhook isolation: dead receiver, first attempt ${first} ms after commit, then gaps ${gaps.join(', ')} ms (timeout ${TIMEOUT_MS} ms + backoff)`);
    expect(first).toBeLessThan(1000);
    for (const [i, gap] of gaps.entries()) {
      // After attempt n: the timeout, then 30 s × 2^(n-1) × scale ± 20 %; never sooner, at most a
      // poll interval (1 s) and some load later.
      const backoff = 30_000 * 2 ** i * RETRY_SCALE;
      expect(gap).toBeGreaterThanOrEqual(TIMEOUT_MS + 0.8 * backoff - 50);
      expect(gap).toBeLessThan(TIMEOUT_MS + 1.2 * backoff + 2000);
    }
    const [row] = await t.dataSource.query(`SELECT status, attempts, last_error FROM webhook_deliveries WHERE webhook_id = $1`, [res.body.webhook.id]);
    expect(row).toMatchObject({ status: 'pending', last_error: 'timed out' });
    expect(row.attempts).toBeGreaterThanOrEqual(ATTEMPTS);
  }, 60_000);

  it('stops within the shutdown budget with 100 attempts hanging', async () => {
    // The hanging attempts time out together and come back a moment later: SIGTERM while they hang.
    await waitFor(async () => hanging.open >= STALLED * 0.9, 10_000, 'the stalled attempts hanging');
    const open = hanging.open;
    const signalled = Date.now();
    worker!.kill('SIGTERM');
    const code = await exited;
    const tookMs = Date.now() - signalled;
    console.log(`webhook isolation: worker stopped with ${open} requests hanging, exit ${code} after ${tookMs} ms`);
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
  }, 30_000);
});
