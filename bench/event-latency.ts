/**
 * Commit-to-delivery latency of the event relay (issue 5): how long after an interview change
 * commits its event reaches a webhook receiver and a RabbitMQ queue, at a steady write load.
 *
 * Run with `npm run bench:events` (see bench/README.md). DATABASE_URL names a PostgreSQL server: a
 * fresh database is created on it and dropped at the end (unset: an embedded PostgreSQL, as in the
 * tests). AMQP_URL enables the broker half. Knobs: BENCH_RATE (amends per second, 50),
 * BENCH_SECONDS (measured seconds, 20), BENCH_WARMUP_SECONDS (3), BENCH_INTERVIEWS (20),
 * BENCH_OUT (a file for the JSON summary).
 *
 * The app runs in this process (TestApp: the whole Nest app on Fastify, driven through inject), with
 * the relay started as the worker would start it, a real HTTP receiver on 127.0.0.1 subscribed as
 * a webhook, and an exclusive queue bound to the `interviews` exchange. Each amend proposes new
 * times; the proposal's start is unique per interview, so every arrival is matched to its request
 * by (interview id, amend_start_at) found in the event itself.
 *
 * The commit instant is bracketed, not observed: `occurred_at` is stamped after the row lock and
 * before the event insert and the commit (so arrival − occurred_at is an upper bound), and the
 * HTTP response returns after the commit (so arrival − response is a lower bound).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect } from 'amqplib';
import type { ChannelModel } from 'amqplib';

// ---------------------------------------------------------------------------------------------
// Before any app module loads: `#platform` & co. resolve to the TypeScript sources (as jest's
// moduleNameMapper does) rather than to a possibly stale dist/, and the environment is set.
const ROOT = join(__dirname, '..');
const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  if (request === '#platform/errors') return join(ROOT, 'libs/platform/src/errors/domain-error.ts');
  const lib = /^#(platform|identity|interviews|events|testing)$/.exec(request);
  if (lib) return join(ROOT, 'libs', lib[1], 'src/index.ts');
  return resolveFilename.call(this, request, ...rest);
};

const SERVER_URL = process.env.DATABASE_URL;
const AMQP_URL = process.env.AMQP_URL || undefined;
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
process.env.JWT_SECRET = 'bench-secret-bench-secret-bench-secret-01';
process.env.ADMIN_EMAIL = 'admin@bench.example';
process.env.ADMIN_PASSWORD = 'admin-bench-password';
process.env.WEBHOOK_ALLOW_PRIVATE = 'true'; // the receiver listens on 127.0.0.1
process.env.RELAY = 'off'; // started explicitly below, once the subscribers are in place

type Testing = typeof import('#testing');
type Events = typeof import('#events');
type TestAppT = import('#testing').TestApp;

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
};
const RATE = num('BENCH_RATE', 50);
const SECONDS = num('BENCH_SECONDS', 20);
const WARMUP = num('BENCH_WARMUP_SECONDS', 3);
const INTERVIEWS = Math.round(num('BENCH_INTERVIEWS', 20));
const DRAIN_MS = 30_000;
const HARD_STOP_MS = 115_000;

/** CPU time of the whole machine (all cores, ms) and of this process (µs), to tell a quiet run from a busy one. */
function cpuSample() {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total, own: process.cpuUsage() };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------------
interface Sent {
  key: string;
  warmup: boolean;
  sentAt: number;
  respondedAt: number;
  status: number;
}
interface Arrival {
  at: number;
  eventId: number;
  occurredAt: number;
}
interface AmendedEvent {
  id: number;
  type: string;
  interview_id: number;
  occurred_at: string;
  data: { amend_start_at?: string };
}

const keyOf = (interviewId: number | string, amendStartAt: string) => `${interviewId}|${amendStartAt}`;

interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}
function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return sorted.length
    ? { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1], mean: Math.round(mean * 10) / 10 }
    : { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
}

// ---------------------------------------------------------------------------------------------
const disposers: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
let aborted = false;
const checkAborted = () => {
  if (aborted) throw new Error('aborted');
};
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (disposers.length) {
      const dispose = disposers.pop()!;
      await Promise.race([dispose().catch((error: Error) => log(`cleanup: ${error.message}`)), sleep(10_000)]);
    }
  })();
  return cleaning;
}

async function main(): Promise<number> {
  const { createTestDatabase } = require('../libs/testing/src/test-database') as typeof import('../libs/testing/src/test-database');
  if (!SERVER_URL) log('DATABASE_URL is unset: using an embedded PostgreSQL (set DATABASE_URL to measure a real server)');
  const db = await createTestDatabase();
  disposers.push(() => db.dispose());
  process.env.DATABASE_URL = db.url;
  log(`database ${db.url.replace(/\/\/[^@]*@/, '//')} (dropped at the end)`);

  const { TestApp, WebhookReceiver } = require('#testing') as Testing;
  const { EventRelay } = require('#events') as Events;
  const { AppModule } = require('../apps/api/src/app.module') as typeof import('../apps/api/src/app.module');

  const t: TestAppT = await TestApp.start(AppModule);
  disposers.push(() => t.close());

  // Webhook subscriber: a real HTTP receiver on loopback.
  const receiver = new WebhookReceiver();
  const url = await receiver.start();
  disposers.push(() => receiver.stop());
  const sub = await t.post('/api/v1/admin/webhooks', { token: await t.admin(), body: { webhook: { url, events: ['*'] } } });
  if (sub.status !== 201) throw new Error(`webhook subscription failed: ${sub.status} ${sub.text}`);

  // Broker subscriber: an exclusive queue bound to the exchange, stamping each arrival.
  const brokerArrivals: { at: number; event: AmendedEvent }[] = [];
  let rabbitVersion = 'RabbitMQ not measured (AMQP_URL unset)';
  if (AMQP_URL) {
    let connection: ChannelModel;
    try {
      connection = await connect(AMQP_URL, { timeout: 3000 });
    } catch (error) {
      throw new Error(`AMQP_URL is set but RabbitMQ cannot be reached: ${(error as Error).message}`);
    }
    disposers.push(() => connection.close());
    const props = connection.connection.serverProperties;
    rabbitVersion = `${props.product ?? 'RabbitMQ'} ${props.version ?? '?'}`;
    const channel = await connection.createChannel();
    const exchange = (require('#events') as Events).EXCHANGE;
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, '#');
    await channel.consume(queue, (msg) => {
      if (msg) brokerArrivals.push({ at: Date.now(), event: JSON.parse(msg.content.toString()) as AmendedEvent });
    }, { noAck: true });
  } else {
    log('broker half SKIPPED: AMQP_URL is not set (e.g. AMQP_URL=amqp://guest:guest@127.0.0.1:5672)');
  }

  const relay = t.app.get(EventRelay);
  await relay.start();

  // Seed: INTERVIEWS interviews, each with its own interviewer, five at a time.
  const seedStart = Date.now();
  const scenarios: Awaited<ReturnType<TestAppT['scenario']>>[] = [];
  for (let i = 0; i < INTERVIEWS; i += 5) {
    checkAborted();
    const batch = await Promise.all(Array.from({ length: Math.min(5, INTERVIEWS - i) }, () => t.scenario({ inHours: 48 })));
    scenarios.push(...batch);
  }
  log(`seeded ${scenarios.length} interviews in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  await sleep(1000); // let the seeding's events drain before the clock starts

  // Steady open-loop load: one amend every 1000/RATE ms, round-robin over the interviews, each sent
  // at its time whether or not earlier ones have answered (no coordinated omission).
  const total = Math.round(RATE * (WARMUP + SECONDS));
  const interval = 1000 / RATE;
  const sent: Sent[] = [];
  const inflight: Promise<void>[] = [];
  const LOOP_RESOLUTION_MS = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const loadBefore = loadavg()[0];
  let cpuBefore = cpuSample();
  log(`load: ${RATE} amends/s for ${WARMUP} s warm-up + ${SECONDS} s measured (${total} amends over ${scenarios.length} interviews)`);
  const t0 = Date.now();
  const measuredFrom = t0 + WARMUP * 1000;
  let loopDelayOn = false;
  for (let i = 0; i < total; i++) {
    const wait = t0 + i * interval - Date.now();
    if (wait > 0) await sleep(wait);
    checkAborted();
    if (!loopDelayOn && Date.now() >= measuredFrom) {
      loopDelay.enable();
      loopDelayOn = true;
      cpuBefore = cpuSample();
    }
    const s = scenarios[i % scenarios.length];
    const round = Math.floor(i / scenarios.length);
    const start = new Date(s.start.getTime() + (60 + round) * 60_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    const record: Sent = { key: keyOf(s.interview.id, start.toISOString()), warmup: false, sentAt: Date.now(), respondedAt: 0, status: 0 };
    record.warmup = record.sentAt < measuredFrom;
    sent.push(record);
    inflight.push(
      t
        .post(`/api/v1/interviews/${s.interview.id}/amend`, {
          token: s.interviewer.token,
          body: { interview: { amend_start_at: start.toISOString(), amend_end_at: end.toISOString() } },
        })
        .then(
          (res) => {
            record.respondedAt = Date.now();
            record.status = res.status;
          },
          () => {
            record.respondedAt = Date.now();
            record.status = -1; // the request itself failed (the app closing on abort)
          },
        ),
    );
  }
  await Promise.all(inflight);
  loopDelay.disable();
  const cpuAfter = cpuSample();
  const loadEnd = Date.now();
  const wallMs = loadEnd - Math.max(t0, measuredFrom);
  const lag = (ns: number) => Math.max(0, Math.round((ns / 1e6 - LOOP_RESOLUTION_MS) * 100) / 100);
  const ownMs = (cpuAfter.own.user - cpuBefore.own.user + cpuAfter.own.system - cpuBefore.own.system) / 1000;

  const measured = sent.filter((r) => !r.warmup);
  const ok = measured.filter((r) => r.status === 200);
  const okKeys = new Set(ok.map((r) => r.key));

  // Wait until every committed amend of the measured window has arrived on every channel.
  const firstArrivals = (items: { at: number; event: AmendedEvent }[]) => {
    const map = new Map<string, Arrival>();
    let duplicates = 0;
    for (const { at, event } of items) {
      if (event.type !== 'interview.amended' || !event.data?.amend_start_at) continue;
      const key = keyOf(event.interview_id, event.data.amend_start_at);
      const seen = map.get(key);
      if (seen) duplicates++;
      if (!seen || at < seen.at) map.set(key, { at, eventId: event.id, occurredAt: Date.parse(event.occurred_at) });
    }
    return { map, duplicates };
  };
  const webhookItems = () => receiver.received.map((r) => ({ at: r.at, event: r.json.data as unknown as AmendedEvent }));
  const missing = (map: Map<string, Arrival>) => [...okKeys].filter((k) => !map.has(k)).length;
  const drainDeadline = Date.now() + DRAIN_MS;
  for (;;) {
    const hooksMissing = missing(firstArrivals(webhookItems()).map);
    const brokerMissing = AMQP_URL ? missing(firstArrivals(brokerArrivals).map) : 0;
    if (hooksMissing + brokerMissing === 0) break;
    checkAborted();
    if (Date.now() > drainDeadline) {
      log(`drain timed out: ${hooksMissing} webhook and ${brokerMissing} broker deliveries missing`);
      break;
    }
    await sleep(50);
  }

  // Cross-check against the event log: one amended event per successful amend.
  const logged = new Set<string>();
  for (const s of scenarios) {
    const res = await t.get(`/api/v1/interviews/${s.interview.id}/events`, { token: s.interviewer.token });
    for (const e of res.body.events as AmendedEvent[]) if (e.type === 'interview.amended' && e.data.amend_start_at) logged.add(keyOf(e.interview_id, e.data.amend_start_at));
  }
  const notLogged = [...okKeys].filter((k) => !logged.has(k)).length;

  const [{ server_version: pgVersion }] = await t.dataSource.query(`SHOW server_version`);

  const channel = (name: string, items: { at: number; event: AmendedEvent }[]) => {
    const { map, duplicates } = firstArrivals(items);
    const fromOccurred: number[] = [];
    const fromResponse: number[] = [];
    for (const r of ok) {
      const arrival = map.get(r.key);
      if (!arrival) continue;
      fromOccurred.push(arrival.at - arrival.occurredAt);
      fromResponse.push(arrival.at - r.respondedAt);
    }
    return { channel: name, delivered: fromOccurred.length, missing: ok.length - fromOccurred.length, duplicates, fromOccurred: stats(fromOccurred), fromResponse: stats(fromResponse) };
  };

  // occurred_at of each measured event (from any channel that saw it): the width of the commit bracket.
  const occurred = new Map<string, number>();
  for (const [k, a] of firstArrivals([...webhookItems(), ...brokerArrivals]).map) occurred.set(k, a.occurredAt);
  const bracket = ok.filter((r) => occurred.has(r.key)).map((r) => r.respondedAt - occurred.get(r.key)!);

  const span = (Math.max(...measured.map((r) => r.sentAt)) - Math.min(...measured.map((r) => r.sentAt))) / 1000;
  const summary = {
    when: new Date().toISOString(),
    machine: {
      nproc: availableParallelism(),
      memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgresql: pgVersion as string,
      rabbitmq: rabbitVersion,
      loadavg_1m_before: Math.round(loadBefore * 100) / 100,
      loadavg_1m_after: Math.round(loadavg()[0] * 100) / 100,
      // Over the measured window, all cores: the machine's busy share, and this process's share of it
      // (the rest is PostgreSQL and RabbitMQ serving this run, plus whatever else the machine runs).
      cpu_busy_pct: Math.round(((cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total)) * 1000) / 10,
      cpu_this_process_pct: Math.round((ownMs / (wallMs * availableParallelism())) * 1000) / 10,
    },
    load: {
      target_per_s: RATE,
      achieved_per_s: Math.round((measured.length / span) * 10) / 10,
      committed_per_s: Math.round((ok.length / span) * 10) / 10,
      measured_seconds: Math.round(span * 10) / 10,
      warmup_seconds: WARMUP,
      interviews: scenarios.length,
      amends_sent: measured.length,
      amends_ok: ok.length,
      non_200: measured.length - ok.length,
      not_in_event_log: notLogged,
      load_wall_seconds: Math.round((loadEnd - t0) / 100) / 10,
    },
    http_amend_ms: stats(measured.filter((r) => r.status === 200).map((r) => r.respondedAt - r.sentAt)),
    commit_bracket_ms: stats(bracket),
    // Beyond the sampling interval (the histogram's samples include it).
    event_loop_delay_ms: {
      p50: lag(loopDelay.percentile(50)),
      p99: lag(loopDelay.percentile(99)),
      max: lag(loopDelay.max),
    },
    channels: [channel('webhook', webhookItems()), ...(AMQP_URL ? [channel('broker', brokerArrivals)] : [])],
  };

  const row = (label: string, s: Stats, extra: string) => `| ${label} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${s.count} | ${extra} |`;
  const lines = [
    '',
    `load: ${summary.load.achieved_per_s} amends/s sent (target ${RATE}), ${summary.load.committed_per_s}/s committed, ${summary.load.measured_seconds} s measured after ${WARMUP} s warm-up, ${scenarios.length} interviews; non-200: ${summary.load.non_200}; missing from the event log: ${notLogged}`,
    '',
    '| latency (ms) | p50 | p95 | p99 | max | count | notes |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...summary.channels.flatMap((c) => [
      row(`${c.channel}: arrival − occurred_at`, c.fromOccurred, `missing ${c.missing}, duplicates ${c.duplicates}`),
      row(`${c.channel}: arrival − HTTP response`, c.fromResponse, 'lower bound'),
    ]),
    row('HTTP amend (send → response)', summary.http_amend_ms, 'context'),
    row('commit bracket (response − occurred_at)', summary.commit_bracket_ms, 'context'),
    '',
    `event-loop delay during the window (beyond the ${LOOP_RESOLUTION_MS} ms sampling interval): p50 ${summary.event_loop_delay_ms.p50} ms, p99 ${summary.event_loop_delay_ms.p99} ms, max ${summary.event_loop_delay_ms.max} ms`,
    `machine: nproc ${summary.machine.nproc}, ${summary.machine.memory_gib} GiB, node ${summary.machine.node}, PostgreSQL ${summary.machine.postgresql}, ${summary.machine.rabbitmq}`,
    `machine load: CPU ${summary.machine.cpu_busy_pct}% busy over the window (this process ${summary.machine.cpu_this_process_pct}%), load average ${summary.machine.loadavg_1m_before} before, ${summary.machine.loadavg_1m_after} after`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(`JSON ${JSON.stringify(summary)}\n`);
  if (process.env.BENCH_OUT) {
    writeFileSync(process.env.BENCH_OUT, JSON.stringify(summary, null, 2) + '\n');
    log(`summary written to ${process.env.BENCH_OUT}`);
  }
  const incomplete = summary.channels.some((c) => c.missing > 0) || notLogged > 0;
  return incomplete ? 1 : 0;
}

const hardStop = setTimeout(() => {
  log(`did not finish within ${HARD_STOP_MS / 1000} s: stopping`);
  aborted = true;
  void cleanup().finally(() => process.exit(2));
}, HARD_STOP_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    aborted = true;
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(
    (code) => code,
    (error: Error) => {
      log(`FAILED: ${error.stack ?? error.message}`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanup();
    clearTimeout(hardStop);
    process.exit(code);
  });
