import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { countRetentionRows, scratchDatabase, seedRetentionRows } from '#testing';
import { DIST, stopProcess, waitFor } from './support/processes';

/**
 * The retention job in the built worker (`npm run build` first), on a database of this suite's
 * own: RETENTION=off purges nothing; two workers at once purge what is past its retention, each
 * row once (the counts in their log lines add up to the rows removed), and log one line per run
 * that removed something.
 */
const WORKER = join(DIST, 'apps', 'worker', 'src', 'main.js');

interface LogLine {
  msg?: string;
  context?: string;
}

function startWorker(databaseUrl: string, logFile: string, extra: NodeJS.ProcessEnv = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', LOG_FILE: logFile, DATABASE_URL: databaseUrl, RETENTION_INTERVAL_MS: '1000', ...extra };
  delete env.AMQP_URL; // no broker: only the purge is under test
  return spawn(process.execPath, [WORKER], { env, stdio: 'ignore' });
}

function logLines(file: string): LogLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** `retention removed 600 rows: idempotency_keys 200, revoked_tokens 200, webhook_deliveries 200 (12 ms)` → per table. */
function removedIn(file: string): { lines: number; byTable: Record<string, number> } {
  const byTable: Record<string, number> = {};
  const lines = logLines(file).filter((line) => line.msg?.startsWith('retention removed '));
  for (const line of lines) {
    for (const [, table, count] of line.msg!.matchAll(/([a-z_]+) (\d+)(?=,| \()/g)) byTable[table] = (byTable[table] ?? 0) + Number(count);
  }
  return { lines: lines.length, byTable };
}

describe('the worker purges old rows (retention job)', () => {
  const scratch = scratchDatabase(process.env.DATABASE_URL!, 'retention_e2e');
  let dir: string;
  let db: Client;
  let offWorker: ChildProcess | undefined;
  const workers: ChildProcess[] = [];
  const offLog = () => join(dir, 'off.log');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'interviews-retention-'));
    await scratch.create();
    // This worker migrates the new database: RETENTION=off keeps it from purging what is seeded.
    offWorker = startWorker(scratch.url, offLog(), { RETENTION: 'off' });
    await waitFor(async () => logLines(offLog()).some((line) => line.msg === 'event relay started'), 30_000, 'worker started');
    db = new Client({ connectionString: scratch.url });
    await db.connect();
  }, 60_000);
  afterAll(async () => {
    await stopProcess(offWorker, 'SIGKILL');
    for (const worker of workers) await stopProcess(worker, 'SIGKILL');
    await db?.end();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('purges nothing with RETENTION=off', async () => {
    expect(logLines(offLog()).map((line) => line.msg)).toContain('retention off (RETENTION=off): nothing is purged');
    await seedRetentionRows(db, 200, 10);
    await new Promise((resolve) => setTimeout(resolve, 3500)); // three intervals of RETENTION_INTERVAL_MS
    expect(await countRetentionRows(db)).toEqual({
      idempotency_keys: { old: 200, young: 10 },
      revoked_tokens: { old: 200, young: 10 },
      webhook_deliveries: { old: 200, young: 10, pending: 10 },
    });
    expect(removedIn(offLog()).lines).toBe(0);
    expect(await stopProcess(offWorker)).toBe(0);
  }, 30_000);

  it('removes each row past its retention once with two workers at once, keeps the rest, and logs one line per run that removed something', async () => {
    await stopProcess(offWorker);
    await db.query('DELETE FROM idempotency_keys; DELETE FROM revoked_tokens; DELETE FROM webhook_deliveries');
    await seedRetentionRows(db, 1000, 10);
    const logs = [join(dir, 'worker-1.log'), join(dir, 'worker-2.log')];
    for (const log of logs) workers.push(startWorker(scratch.url, log, { RETENTION_BATCH_SIZE: '100' }));

    await waitFor(async () => {
      const counts = await countRetentionRows(db);
      return counts.idempotency_keys.old + counts.revoked_tokens.old + counts.webhook_deliveries.old === 0;
    }, 30_000, 'old rows removed');
    const linesWhenDone = logs.map((log) => removedIn(log).lines);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // two more runs each, with nothing to remove
    for (const worker of workers) expect(await stopProcess(worker)).toBe(0);

    expect(await countRetentionRows(db)).toEqual({
      idempotency_keys: { old: 0, young: 10 },
      revoked_tokens: { old: 0, young: 10 },
      webhook_deliveries: { old: 0, young: 10, pending: 10 },
    });
    const [first, second] = logs.map(removedIn);
    for (const table of ['idempotency_keys', 'revoked_tokens', 'webhook_deliveries']) {
      expect((first.byTable[table] ?? 0) + (second.byTable[table] ?? 0)).toBe(1000);
    }
    // the runs that found nothing wrote nothing
    expect([first.lines, second.lines]).toEqual(linesWhenDone);
    expect(first.lines + second.lines).toBeGreaterThan(0);
  }, 60_000);
});
