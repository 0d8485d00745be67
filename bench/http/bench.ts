/**
 * `npm run bench`: the service against its raw floor (bench/http/baseline.ts) on the same machine,
 * in one run. Both get their own freshly seeded database on the same PostgreSQL; autocannon drives
 * fixed-concurrency load at four operations, alternating service and baseline (A B A B A B), and the
 * table goes to stdout and to docs/BENCHMARKS.md.
 *
 * `npm run bench -- --scale`: 10,000 and then 1,000,000 interviews in the service's database, and
 * the latency of an interviewer's list page and of a read on each, to show they stay flat.
 *
 * Knobs (environment): DATABASE_URL (a server to create the databases on; unset: an embedded
 * PostgreSQL), BENCH_SECONDS (10 per run), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (64),
 * BENCH_ROUNDS (3: A B A B A B), BENCH_OPS (comma-separated subset), BENCH_NO_BUILD=1, BENCH_OUT (JSON),
 * BENCH_NO_WRITE=1 (leave docs/BENCHMARKS.md alone), BENCH_SCALE_CONNECTIONS (1,8). For profiling,
 * never for the table: BENCH_ONLY=service|baseline, BENCH_PROFILE=dir (the service runs with
 * --cpu-prof, profiles written there), BENCH_RATE (a fixed request rate), BENCH_SERVICE_ENV.
 */
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';
import { listStatement } from '../../libs/interviews/src/infrastructure/interview-view.sql';
import { API_KEY, interviewerOf, JWT_SECRET, seed, type SeedSize, signToken, SIZES } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SECONDS = num('BENCH_SECONDS', 10);
const WARMUP = num('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 64);
const ROUNDS = num('BENCH_ROUNDS', 3);
const SCALE = process.argv.includes('--scale');

// ---------------------------------------------------------------------------------------------- the operations

type Request = { method: 'GET' | 'POST' | 'PUT'; path: string; headers: Record<string, string>; body?: string };

interface Operation {
  name: string;
  describe: string;
  /** The n-th request of a run (n counts up across every run, so each amend is a new proposal). */
  request(n: number, size: SeedSize): Request;
}

const tokens = new Map<number, string>();
const bearer = (userId: number) => {
  if (!tokens.has(userId)) tokens.set(userId, signToken(userId));
  return { authorization: `Bearer ${tokens.get(userId)}` };
};
const JSON_BODY = { 'content-type': 'application/json' };
const interviewAt = (n: number, size: SeedSize) => 1 + ((n * 7919) % size.interviews); // strides over all of them

const OPERATIONS: Operation[] = [
  {
    name: 'amend',
    describe: 'POST /api/v1/interviews/:id/amend by its interviewer, rotating over the interviews',
    request(n, size) {
      const id = interviewAt(n, size);
      // A future proposal that never equals the seeded times and changes on every request.
      const start = Date.UTC(2031, 0, 1) + (n % 100_000) * 60_000;
      const body = JSON.stringify({
        interview: { amend_start_at: new Date(start).toISOString(), amend_end_at: new Date(start + 1_800_000).toISOString() },
      });
      return { method: 'POST', path: `/api/v1/interviews/${id}/amend`, headers: { ...bearer(interviewerOf(id, size)), ...JSON_BODY }, body };
    },
  },
  {
    name: 'read',
    describe: 'GET /api/v1/interviews/:id by its interviewer, rotating',
    request(n, size) {
      const id = interviewAt(n, size);
      return { method: 'GET', path: `/api/v1/interviews/${id}`, headers: bearer(interviewerOf(id, size)) };
    },
  },
  {
    name: 'list',
    describe: "GET /api/v1/interviews (first page of 25) by an interviewer, rotating",
    request(n, size) {
      return { method: 'GET', path: '/api/v1/interviews?page=1&per_page=25', headers: bearer(1 + (n % size.interviewers)) };
    },
  },
  {
    name: 'config',
    describe: 'PUT /interview/:id (x-api-key), a new interview_name each time, rotating',
    request(n, size) {
      const id = interviewAt(n, size);
      return {
        method: 'PUT',
        path: `/interview/${id}`,
        headers: { 'x-api-key': API_KEY, ...JSON_BODY },
        body: JSON.stringify({ interview_name: `Bench interview ${n}` }),
      };
    },
  },
];

// ---------------------------------------------------------------------------------------------- processes

interface Target {
  name: 'service' | 'baseline';
  port: number;
  process: ChildProcess;
}

async function waitUntilUp(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up`);
}

async function startService(databaseUrl: string, port: number, logFile: string): Promise<Target> {
  const profile = process.env.BENCH_PROFILE;
  // Exactly what `npm start` runs (its node flags included), less the build.
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (start[0] !== 'node') throw new Error(`npm start is not a node command: ${start.join(' ')}`);
  const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), ...start.slice(1)];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['LOG_FILE', 'AMQP_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD']) delete env[name];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET,
      LOG_LEVEL: 'info',
      THROTTLE_LIMIT: '1000000',
      RELAY: 'off',
      // BENCH_SERVICE_ENV="NAME=value …": extra settings for experiments (a run with them is not the table's).
      ...Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(/\s+/).filter(Boolean).map((kv) => kv.split(/=(.*)/s, 2))),
    },
    // Production logging as it is (one JSON line per request), into a file rather than the terminal.
    stdio: ['ignore', openSync(logFile, 'a'), 'inherit'],
  });
  await waitUntilUp(`http://127.0.0.1:${port}/health/live`, child, 'the service');
  return { name: 'service', port, process: child };
}

async function startBaseline(databaseUrl: string, port: number): Promise<Target> {
  const child = spawn(process.execPath, ['bench/run-ts.cjs', 'bench/http/baseline.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, JWT_SECRET },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitUntilUp(`http://127.0.0.1:${port}/`, child, 'the baseline');
  return { name: 'baseline', port, process: child };
}

async function stop(target: Target): Promise<void> {
  if (target.process.exitCode !== null) return;
  const exited = new Promise((resolve) => target.process.once('exit', resolve));
  target.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (target.process.exitCode === null) target.process.kill('SIGKILL');
}

/** CPU time (utime + stime, all threads) of a process in ms, from /proc (Linux; clock ticks of 10 ms). */
function cpuMsOf(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(stat[11]) + Number(stat[12])) * 10;
  } catch {
    return 0; // gone in between
  }
}

function rssMbOf(pid: number): number {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return rss ? Number(rss[1]) / 1024 : 0;
}

/** CPU time of every PostgreSQL process, by pid. */
function postgresCpu(): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('postgres')) byPid.set(entry, cpuMsOf(entry));
    } catch {
      /* gone */
    }
  }
  return byPid;
}

/** Where the machine's CPU went: the target, PostgreSQL, the load generator (this process), idle. */
function sampleCpu(pid: number) {
  const idle = Number(readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/)[4]) * 10; // all cores
  const own = process.cpuUsage();
  return { target: cpuMsOf(pid), postgres: postgresCpu(), loadgen: (own.user + own.system) / 1000, idle, at: Date.now() };
}

/** PostgreSQL's CPU between two samples: per process, so that one that exited in between subtracts nothing. */
function postgresDelta(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

// ---------------------------------------------------------------------------------------------- load

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  rssMaxMb: number;
  /** CPU ms per request of the target process, of PostgreSQL, and of the load generator. */
  cpuMsPerRequest: number;
  postgresMsPerRequest: number;
  loadgenMsPerRequest: number;
  /** Share of the machine's cores idle during the run. */
  idle: number;
}

let counter = 0;

async function load(target: Target, op: Operation, size: SeedSize, seconds: number, connections = CONNECTIONS): Promise<RunResult> {
  const pid = target.process.pid!;
  let rssMax = 0;
  const before = sampleCpu(pid);
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMbOf(pid))), 250);
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}`,
    connections,
    duration: seconds,
    // BENCH_RATE: a fixed request rate instead of as fast as it goes (for profiling CPU per request).
    ...(process.env.BENCH_RATE ? { overallRate: Number(process.env.BENCH_RATE) } : {}),
    requests: [{ setupRequest: (req: object) => ({ ...req, ...op.request(counter++, size) }) }],
  });
  clearInterval(sampler);
  const after = sampleCpu(pid);
  rssMax = Math.max(rssMax, rssMbOf(pid));
  const perRequest = (ms: number) => ms / Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rssMaxMb: rssMax,
    cpuMsPerRequest: perRequest(after.target - before.target),
    postgresMsPerRequest: perRequest(postgresDelta(before.postgres, after.postgres)),
    loadgenMsPerRequest: perRequest(after.loadgen - before.loadgen),
    idle: (after.idle - before.idle) / ((after.at - before.at) * cpus().length),
  };
}

/** One request of the operation to both sides: the same status and the same JSON, or the run is void. */
async function sameAnswers(targets: Target[], op: Operation, size: SeedSize): Promise<void> {
  const request = op.request(counter++, size);
  const answers = await Promise.all(
    targets.map(async (t) => {
      const response = await fetch(`http://127.0.0.1:${t.port}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      return { status: response.status, etag: response.headers.get('etag'), body: await response.json() };
    }),
  );
  const normal = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value, (key, v) => (['created_at', 'updated_at'].includes(key) ? '<time>' : v)));
  const [a, b] = answers.map((x) => JSON.stringify({ ...x, body: normal(x.body) }));
  if (a !== b) throw new Error(`${op.name}: the service and the baseline answer differently:\n  service  ${a.slice(0, 2000)}\n  baseline ${b.slice(0, 2000)}`);
  if (answers[0].status !== 200) throw new Error(`${op.name}: ${answers[0].status} ${JSON.stringify(answers[0].body)}`);
}

// ---------------------------------------------------------------------------------------------- databases

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function postgresServer(): Promise<Server> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const embedded = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'interviews-bench-pg-')),
    port: Number(process.env.BENCH_EMBEDDED_PG_PORT ?? 54332),
    persistent: false,
  });
  return { url: embedded.url, stop: () => embedded.stop() };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database on the server, migrated by the service's own `db:migrate` and seeded. */
async function freshDatabase(server: Server, name: string, size: SeedSize): Promise<string> {
  await withClient(server.url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  execSync('node dist/apps/cli/src/main.js db:migrate', { cwd: ROOT, env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'error' }, stdio: 'ignore' });
  const started = Date.now();
  await withClient(url.toString(), (c) => seed(c, size));
  log(`  ${name}: ${size.interviews.toLocaleString('en')} interviews seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return url.toString();
}

async function dropDatabase(server: Server, name: string): Promise<void> {
  await withClient(server.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------- report

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function machine(postgres: string): string[] {
  const cpu = cpus();
  return [
    '| machine | |',
    '|---|---|',
    `| CPU | ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores |`,
    `| memory | ${fmt(totalmem() / 2 ** 30, 1)} GiB |`,
    `| Node.js | ${process.version} |`,
    `| PostgreSQL | ${postgres} |`,
    `| load generator | autocannon in the bench process, on the same machine |`,
  ];
}

function replaceSection(file: string, marker: string, body: string): void {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const text = readFileSync(file, 'utf8');
  const block = `${start}\n${body}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`);
}

// ---------------------------------------------------------------------------------------------- modes

async function compare(server: Server, postgres: string, work: string): Promise<boolean> {
  const size = SIZES.standard;
  const wanted = process.env.BENCH_OPS?.split(',');
  const ops = OPERATIONS.filter((op) => !wanted || wanted.includes(op.name));
  const serviceDb = await freshDatabase(server, 'bench_service', size);
  const baselineDb = await freshDatabase(server, 'bench_baseline', size);
  const service = await startService(serviceDb, 3201, join(work, 'service.log'));
  const baseline = await startBaseline(baselineDb, 3202);
  const rows: { op: Operation; service: RunResult[]; baseline: RunResult[] }[] = [];
  try {
    // Before any load, while both databases are alike: the same request gets the same answer.
    for (const op of ops) await sameAnswers([service, baseline], op, size);
    for (const op of ops) {
      // BENCH_ONLY=service (or baseline) measures one side alone: for profiling, never for the table.
      const sides = [service, baseline].filter((t) => !process.env.BENCH_ONLY || t.name === process.env.BENCH_ONLY);
      for (const t of sides) await load(t, op, size, WARMUP);
      const row = { op, service: [] as RunResult[], baseline: [] as RunResult[] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const t of sides) {
          const r = await load(t, op, size, SECONDS);
          row[t.name].push(r);
          log(`  ${op.name.padEnd(7)} ${t.name.padEnd(8)} round ${round + 1}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ` +
            `CPU ms/req: ${fmt(r.cpuMsPerRequest, 2)} own, ${fmt(r.postgresMsPerRequest, 2)} PostgreSQL, ${fmt(r.loadgenMsPerRequest, 2)} autocannon; ` +
            `${fmt(r.idle * 100)}% idle; RSS ≤ ${fmt(r.rssMaxMb)} MB${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`);
        }
      }
      rows.push(row);
    }
  } finally {
    await stop(service);
    await stop(baseline);
    await dropDatabase(server, 'bench_service');
    await dropDatabase(server, 'bench_baseline');
  }

  let met = true;
  const table = [
    '| operation | service req/s | baseline req/s | **throughput ratio** | service p50 / p99 ms | baseline p50 / p99 ms | **p99 ratio** | service CPU ms/req | baseline CPU ms/req | service RSS max MB | failed requests |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { op, service: s, baseline: b } of rows) {
    const ratio = mean(s.map((r) => r.rps)) / mean(b.map((r) => r.rps));
    const p99 = mean(s.map((r) => r.p99)) / mean(b.map((r) => r.p99));
    const rss = Math.max(...s.map((r) => r.rssMaxMb));
    const failed = [...s, ...b].reduce((n, r) => n + r.non2xx + r.errors, 0);
    const ok = ratio >= 0.8 && p99 <= 2 && rss < 250 && failed === 0;
    met &&= ok;
    table.push(
      `| ${op.name} | ${fmt(mean(s.map((r) => r.rps)))} | ${fmt(mean(b.map((r) => r.rps)))} | **${fmt(ratio, 2)}** ${ok ? '✓' : '✗'} | ` +
        `${fmt(mean(s.map((r) => r.p50)), 1)} / ${fmt(mean(s.map((r) => r.p99)), 1)} | ${fmt(mean(b.map((r) => r.p50)), 1)} / ${fmt(mean(b.map((r) => r.p99)), 1)} | ` +
        `**${fmt(p99, 2)}** | ${fmt(mean(s.map((r) => r.cpuMsPerRequest)), 3)} | ${fmt(mean(b.map((r) => r.cpuMsPerRequest)), 3)} | ${fmt(rss)} | ${failed} |`,
    );
  }
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const body = [
    `Run of ${when} UTC: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per side and operation, alternating service and baseline ` +
      `(${'A B '.repeat(ROUNDS).trim()}) after ${WARMUP} s of warm-up each; ${fmt(size.interviews)} interviews per database. Target: throughput ratio ≥ 0.80, ` +
      `p99 ratio ≤ 2, service RSS < 250 MB, no failed request. **${met ? 'Met' : 'Not met'}.**`,
    '',
    ...table,
    '',
    ...ops.map((op) => `- **${op.name}**: ${op.describe}.`),
    '',
    ...machine(postgres),
  ].join('\n');
  log(`\n${body}\n`);
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(rows.map((r) => ({ ...r, op: r.op.name })), null, 2));
  if (!process.env.BENCH_NO_WRITE && !process.env.BENCH_ONLY && ops.length === OPERATIONS.length) replaceSection(join(ROOT, 'docs/BENCHMARKS.md'), 'bench:http', body);
  return met;
}

async function scale(server: Server, postgres: string, work: string): Promise<boolean> {
  const lines = [
    '| interviews | connections | list p50 / p95 / p99 ms | list req/s | read p50 / p95 / p99 ms | read req/s |',
    '|---:|---:|---:|---:|---:|---:|',
  ];
  // One connection: a request's own latency; eight: the same under load, queueing included.
  const levels = (process.env.BENCH_SCALE_CONNECTIONS ?? '1,8').split(',').map(Number);
  let met = true;
  const plans: string[] = [];
  for (const [label, size] of [['standard', SIZES.standard], ['scale', SIZES.scale]] as const) {
    const url = await freshDatabase(server, `bench_${label}`, size);
    const service = await startService(url, 3203, join(work, `service-${label}.log`));
    try {
      const list = OPERATIONS.find((o) => o.name === 'list')!;
      const read = OPERATIONS.find((o) => o.name === 'read')!;
      for (const op of [list, read]) await load(service, op, size, WARMUP, Math.max(...levels));
      const percentiles = async (op: Operation, connections: number) => {
        const result = await autocannon({
          url: `http://127.0.0.1:${service.port}`,
          connections,
          duration: SECONDS,
          requests: [{ setupRequest: (req: object) => ({ ...req, ...op.request(counter++, size) }) }],
        });
        if (result.non2xx || result.errors) throw new Error(`${op.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        return { p50: result.latency.p50, p95: percentile95(result), p99: result.latency.p99, rps: result.requests.average };
      };
      for (const connections of levels) {
        const l = await percentiles(list, connections);
        const r = await percentiles(read, connections);
        if (label === 'scale' && connections === levels[0]) met = l.p95 < 20;
        lines.push(`| ${fmt(size.interviews)} | ${connections} | ${l.p50} / ${l.p95} / ${l.p99} | ${fmt(l.rps)} | ${r.p50} / ${r.p95} / ${r.p99} | ${fmt(r.rps)} |`);
        log(`  ${fmt(size.interviews)} interviews, ${connections} connections: list p95 ${l.p95} ms, read p95 ${r.p95} ms`);
      }
      if (label === 'scale') plans.push(...(await listPlan(url, size)));
    } finally {
      await stop(service);
      await dropDatabase(server, `bench_${label}`);
    }
  }
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16);
  const body = [
    `Run of ${when} UTC: the service alone (production mode, as \`npm run bench\` starts it), ${SECONDS} s per measurement after ` +
      `${WARMUP} s of warm-up, at ${levels.join(' and ')} connections; an interviewer's first page (25 of their ` +
      `${fmt(SIZES.scale.interviews / SIZES.scale.interviewers)} interviews at 1,000,000; 100 at 10,000) and reads of single ` +
      `interviews. Target: list p95 < 20 ms at 1,000,000 (at ${levels[0]} connection${levels[0] === 1 ? '' : 's'}). **${met ? 'Met' : 'Not met'}.**`,
    '',
    ...lines,
    '',
    'The list statement at 1,000,000 interviews (`EXPLAIN (ANALYZE, BUFFERS)`, one interviewer):',
    '',
    '```',
    ...plans,
    '```',
    '',
    ...machine(postgres),
  ].join('\n');
  log(`\n${body}\n`);
  if (!process.env.BENCH_NO_WRITE) replaceSection(join(ROOT, 'docs/BENCHMARKS.md'), 'bench:scale', body);
  return met;
}

/** autocannon reports p90 and p97.5, not p95: interpolate between them (both are of the same histogram). */
function percentile95(result: autocannon.Result): number {
  const { p90, p97_5 } = result.latency as unknown as { p90: number; p97_5: number };
  return Math.round((p90 + ((p97_5 - p90) * 5) / 7.5) * 10) / 10;
}

async function listPlan(url: string, size: SeedSize): Promise<string[]> {
  const { text, params } = listStatement({ page: 1, perPage: 25 }, { all: false, userId: String(1 + (size.interviewers >> 1)) });
  return withClient(url, async (c) => {
    const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, params);
    return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
  });
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: took longer than 30 minutes; stopping\n');
    process.exit(2);
  }, 30 * 60_000);
  watchdog.unref();
  if (!process.env.BENCH_NO_BUILD) execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
  const work = mkdtempSync(join(tmpdir(), 'interviews-bench-'));
  const server = await postgresServer();
  try {
    const postgres = await withClient(server.url, async (c) => (await c.query('SHOW server_version')).rows[0].server_version as string);
    log(`bench: ${SCALE ? 'scale' : 'service vs baseline'}; PostgreSQL ${postgres}; logs in ${work}`);
    const met = SCALE ? await scale(server, postgres, work) : await compare(server, postgres, work);
    process.exitCode = met ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
