import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryService } from '@nestjs/core';
import { Counter, Gauge } from 'prom-client';
import type { Environment } from '../config/environment';
import { Sql } from '../database/sql';
import { MetricsRegistry } from '../observability/metrics-registry';
import { RetentionRule } from './retention-rule';

/**
 * The first key of the retention job's advisory locks (the two-key form); the second is
 * hashtext(table), the same in every session of one server. The event log's lock is a one-key
 * lock (7431001), which PostgreSQL keeps apart from the two-key ones.
 */
export const RETENTION_LOCK_CLASS = 7431100;
/** Batches of one table in one run at most; what is left waits for the next run. */
const MAX_BATCHES_PER_RUN = 200;
const TABLE_NAME = /^[a-z_]+$/;

/**
 * Purges what the RetentionRules of the app's modules say is past its use, every
 * RETENTION_INTERVAL_MS, in the process that runs the event relay (`npm run start:worker`, or the
 * API with RELAY=inline); RETENTION=off turns it off everywhere.
 *
 * Several workers at once: each batch is one short transaction that first takes the table's
 * advisory lock with pg_try_advisory_xact_lock; a worker that does not get it leaves that table
 * to the one that has it until its next run, so two workers never scan and delete the same rows at
 * the same moment. A batch deletes at most RETENTION_BATCH_SIZE rows, found by their ctid
 * (`ctid = ANY (ARRAY(SELECT ctid … LIMIT n))`, a TID scan), and the rule's condition is checked
 * again on the row the DELETE reaches: a row changed meanwhile (a delivery queued again) is kept.
 * So no transaction is large, no statement nears the 5 s statement timeout, and no lock is held
 * between batches. Each batch's count is added to `retention_removed_rows_total{table}` once it
 * has committed; a run that removed something logs one line.
 */
@Injectable()
export class RetentionJob implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private readonly removedRows: Counter<'table'>;
  private readonly lastRun: Gauge;
  private rules: RetentionRule[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private started = false;
  private stopping = false;

  constructor(
    private readonly sql: Sql,
    private readonly discovery: DiscoveryService,
    private readonly config: ConfigService<Environment, true>,
    registry: MetricsRegistry,
  ) {
    this.removedRows = new Counter({
      name: 'retention_removed_rows_total',
      help: 'Rows the retention job of this process deleted, by table',
      labelNames: ['table'],
      registers: [registry],
    });
    this.lastRun = new Gauge({
      name: 'retention_last_run_timestamp_seconds',
      help: 'When the retention job of this process last finished a run (Unix time); 0: not yet',
      registers: [registry],
    });
  }

  onModuleInit(): void {
    const rules = this.discovery
      .getProviders({ metadataKey: RetentionRule.KEY })
      .map((wrapper) => wrapper.instance as RetentionRule)
      .filter((rule) => rule !== undefined && rule !== null);
    const tables = new Set<string>();
    for (const rule of rules.sort((a, b) => a.table.localeCompare(b.table))) {
      if (!TABLE_NAME.test(rule.table)) throw new Error(`retention rule ${rule.constructor.name}: table "${rule.table}" is not a plain table name`);
      if (tables.has(rule.table)) throw new Error(`two retention rules for the table ${rule.table}`);
      tables.add(rule.table);
      // One series per table from the start: a scrape shows 0 rather than nothing.
      this.removedRows.inc({ table: rule.table }, 0);
    }
    this.rules = rules;
  }

  /** In the API with the relay inline (the embedded database: one process does everything). */
  onApplicationBootstrap(): void {
    if (this.config.get('RELAY', { infer: true }) === 'inline') this.start();
  }

  /** Before the pool closes: the batch in flight finishes, no other starts. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** The tables purged, in the order of a run. */
  get tables(): string[] {
    return this.rules.map((rule) => rule.table);
  }

  /** Whether runs are scheduled (false with RETENTION=off, before start and after stop). */
  get scheduled(): boolean {
    return this.started && !this.stopping;
  }

  /** A run now, then one every RETENTION_INTERVAL_MS after the previous one ends; nothing with RETENTION=off. */
  start(): void {
    if (this.started) return;
    if (this.config.get('RETENTION', { infer: true }) === 'off') {
      this.logger.log('retention off (RETENTION=off): nothing is purged');
      return;
    }
    this.started = true;
    this.stopping = false;
    this.schedule(0);
    this.logger.log(`retention every ${this.config.get('RETENTION_INTERVAL_MS', { infer: true })} ms: ${this.tables.join(', ')}`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.started = false;
  }

  /**
   * One run over every table; the rows removed per table (0 for a table another worker was
   * purging, or whose purge failed: that is logged, and the next run tries again).
   */
  async run(): Promise<Record<string, number>> {
    const began = Date.now();
    const removed: Record<string, number> = {};
    for (const rule of this.rules) {
      removed[rule.table] = 0;
      if (this.stopping) continue;
      try {
        await this.purge(rule, (count) => (removed[rule.table] += count));
      } catch (error) {
        this.logger.warn(`retention of ${rule.table} failed: ${(error as Error).message}`);
      }
    }
    this.lastRun.set(Date.now() / 1000);
    const total = Object.values(removed).reduce((sum, count) => sum + count, 0);
    if (total > 0) {
      const parts = Object.entries(removed).map(([table, count]) => `${table} ${count}`);
      this.logger.log(`retention removed ${total} rows: ${parts.join(', ')} (${Date.now() - began} ms)`);
    }
    return removed;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.run()
        .catch((error: Error) => this.logger.warn(`retention run failed: ${error.message}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopping) this.schedule(this.config.get('RETENTION_INTERVAL_MS', { infer: true }));
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Batches until one is short, the lock is another worker's, or the run's share is used up. */
  private async purge(rule: RetentionRule, removed: (count: number) => void): Promise<void> {
    const limit = this.config.get('RETENTION_BATCH_SIZE', { infer: true });
    const { where, params } = rule.expired();
    const table = rule.table;
    const statement = `DELETE FROM ${table}
       WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $${params.length + 1}))
         AND (${where})`;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopping; batch++) {
      const count = await this.sql.run(async (tx) => {
        const [lock] = await this.sql.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [RETENTION_LOCK_CLASS, table], tx);
        if (!lock.locked) return null;
        return this.sql.execute(statement, [...params, limit], tx);
      });
      if (count === null) return; // another worker is purging this table right now
      if (count > 0) {
        this.removedRows.inc({ table }, count);
        removed(count);
      }
      if (count < limit) return;
    }
  }
}
