import type { Pool } from 'pg';
import type { TestApp as TestAppType } from '#testing';
import { countRetentionRows, scratchDatabase, seedRetentionRows } from '../../../testing/src/retention-rows';

// The app reads the environment when its modules load, so before they are required: a database of
// this suite's own (the purge must not take other suites' rows, nor change their checksums), small
// batches (so that a purge is several batches and two jobs at once take turns), no relay.
const scratch = scratchDatabase(process.env.DATABASE_URL!, 'retention_spec');
process.env.DATABASE_URL = scratch.url;
process.env.RETENTION_BATCH_SIZE = '50';
process.env.RELAY = 'off';
/* eslint-disable @typescript-eslint/no-require-imports */
const { TestApp } = require('#testing') as typeof import('#testing');
const { AppModule } = require('../../../../apps/api/src/app.module') as typeof import('../../../../apps/api/src/app.module');
const { DatabasePool, MetricsRegistry, RETENTION_LOCK_CLASS, RetentionJob } = require('#platform') as typeof import('#platform');
/* eslint-enable @typescript-eslint/no-require-imports */

const TABLES = ['idempotency_keys', 'revoked_tokens', 'webhook_deliveries'];

/**
 * The retention job on a real PostgreSQL: what it removes and keeps, with rows whose times are set
 * directly, and two jobs of two apps (each with its own pool, as two workers) purging at once.
 */
describe('retention', () => {
  let a: TestAppType;
  let b: TestAppType;
  let pool: Pool;
  const job = (t: TestAppType) => t.app.get(RetentionJob);
  const removedTotal = async (t: TestAppType, table: string) => {
    const metric = t.app.get(MetricsRegistry).getSingleMetric('retention_removed_rows_total')!;
    return (await metric.get()).values.find((v) => v.labels.table === table)?.value ?? 0;
  };
  const totals = async (t: TestAppType) => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await removedTotal(t, table)])));

  beforeAll(async () => {
    await scratch.create();
    a = await TestApp.start(AppModule);
    b = await TestApp.start(AppModule);
    pool = a.app.get(DatabasePool).pool;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await scratch.drop();
  });
  beforeEach(async () => {
    await pool.query('DELETE FROM idempotency_keys; DELETE FROM revoked_tokens; DELETE FROM webhook_deliveries');
  });

  it('removes the rows past their retention, keeps younger ones and every pending delivery, and counts what it removed', async () => {
    await seedRetentionRows(pool, 120, 20);
    const before = await totals(a);

    const removed = await job(a).run();

    expect(removed).toEqual({ idempotency_keys: 120, revoked_tokens: 120, webhook_deliveries: 120 });
    expect(await countRetentionRows(pool)).toEqual({
      idempotency_keys: { old: 0, young: 20 },
      revoked_tokens: { old: 0, young: 20 },
      webhook_deliveries: { old: 0, young: 20, pending: 20 },
    });
    const after = await totals(a);
    for (const table of TABLES) expect(after[table] - before[table]).toBe(120);
    // nothing left to remove: the next run removes nothing and counts nothing
    expect(await job(a).run()).toEqual({ idempotency_keys: 0, revoked_tokens: 0, webhook_deliveries: 0 });
    expect(await totals(a)).toEqual(after);
  });

  it('removes each row once when two jobs on their own connections run at once: their counters add up to the rows removed', async () => {
    await seedRetentionRows(pool, 1000, 50);
    const rows = async () => (await pool.query(`SELECT (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
      (SELECT count(*) FROM revoked_tokens)::int AS revoked_tokens, (SELECT count(*) FROM webhook_deliveries)::int AS webhook_deliveries`)).rows[0];
    const rowsBefore = await rows();
    const [beforeA, beforeB] = [await totals(a), await totals(b)];

    const [byA, byB] = await Promise.all([job(a).run(), job(b).run()]);

    const rowsAfter = await rows();
    const [afterA, afterB] = [await totals(a), await totals(b)];
    for (const table of TABLES) {
      expect(rowsBefore[table] - rowsAfter[table]).toBe(1000);
      expect(byA[table] + byB[table]).toBe(1000);
      expect(afterA[table] - beforeA[table] + (afterB[table] - beforeB[table])).toBe(1000);
    }
    expect(await countRetentionRows(pool)).toEqual({
      idempotency_keys: { old: 0, young: 50 },
      revoked_tokens: { old: 0, young: 50 },
      webhook_deliveries: { old: 0, young: 50, pending: 50 },
    });
  });

  it('leaves a table to the worker that holds its lock, and purges it on a later run', async () => {
    await seedRetentionRows(pool, 60, 5);
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock($1, hashtext('revoked_tokens'))`, [RETENTION_LOCK_CLASS]);
      expect(await job(a).run()).toEqual({ idempotency_keys: 60, revoked_tokens: 0, webhook_deliveries: 60 });
      expect((await countRetentionRows(pool)).revoked_tokens).toEqual({ old: 60, young: 5 });
      await other.query('ROLLBACK');
    } finally {
      other.release();
    }
    expect(await job(a).run()).toEqual({ idempotency_keys: 0, revoked_tokens: 60, webhook_deliveries: 0 });
  });

  it('serves retention_removed_rows_total, one series per table, and the last run time on /metrics', async () => {
    await seedRetentionRows(pool, 3, 1);
    const startedAt = Date.now() / 1000;
    await job(a).run();

    const res = await a.get('/metrics');
    expect(res.status).toBe(200);
    const series = res.text.split('\n').filter((line) => line.startsWith('retention_removed_rows_total{'));
    expect(series.map((line) => line.replace(/ .*/, '')).sort()).toEqual(TABLES.map((table) => `retention_removed_rows_total{table="${table}"}`));
    for (const table of TABLES) expect(res.text).toContain(`retention_removed_rows_total{table="${table}"} ${await removedTotal(a, table)}`);
    const lastRun = Number(/^retention_last_run_timestamp_seconds (\S+)$/m.exec(res.text)?.[1]);
    expect(lastRun).toBeGreaterThanOrEqual(Math.floor(startedAt));
    expect(lastRun).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('does not run on its own in the API unless the relay runs there (RELAY=inline)', () => {
    expect(job(a).tables).toEqual(TABLES);
    expect(job(a).scheduled).toBe(false);
  });
});
