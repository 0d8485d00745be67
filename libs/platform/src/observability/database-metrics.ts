import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabasePool } from '../database/database-pool';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/**
 * Newest event id minus each relay cursor, in one statement: every live webhook subscription's
 * position (the relay does not move a disabled one) and every other subscriber's (the broker).
 */
const RELAY_LAG_SQL = `
  SELECT s.subscriber, greatest(n.newest - s.position, 0)::float8 AS lag
    FROM (SELECT coalesce(max(id), 0) AS newest FROM interview_events) n
   CROSS JOIN (
     SELECT 'webhook:' || id AS subscriber, position FROM webhooks WHERE active AND state <> 'disabled'
     UNION ALL
     SELECT subscriber, position FROM event_cursors
   ) s`;

/**
 * Read at scrape time: `db_pool_connections{state}` from the pool (DatabasePool) and
 * `event_relay_lag{subscriber}` from the relay cursors.
 */
@Injectable()
export class DatabaseMetrics {
  private readonly logger = new Logger(DatabaseMetrics.name);

  constructor(registry: MetricsRegistry, dataSource: DataSource, pool: DatabasePool) {
    const logger = this.logger;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the database pool: total, idle, and clients waiting for one',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const counts = pool.counts();
        this.set({ state: 'total' }, counts.total);
        this.set({ state: 'idle' }, counts.idle);
        this.set({ state: 'waiting' }, counts.waiting);
      },
    });
    new Gauge({
      name: 'event_relay_lag',
      help: 'Events not yet taken by each relay subscriber: the newest event id minus its cursor',
      labelNames: ['subscriber'],
      registers: [registry],
      async collect() {
        this.reset();
        if (!dataSource.isInitialized) return;
        try {
          const rows: { subscriber: string; lag: number }[] = await dataSource.query(RELAY_LAG_SQL);
          for (const row of rows) this.set({ subscriber: row.subscriber }, Number(row.lag));
        } catch (error) {
          // A scrape still answers (with the other metrics) when the database does not.
          logger.warn(`event relay lag not collected: ${(error as Error).message}`);
        }
      },
    });
  }
}
