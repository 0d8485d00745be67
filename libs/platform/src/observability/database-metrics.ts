import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabasePool } from '../database/database-pool';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/**
 * Newest event id minus the relay cursors, in one statement. The webhook subscriptions are one
 * series, `subscriber="webhooks"`: the largest lag among the live ones (the relay does not move a
 * disabled one), never one series per subscription, whose number callers decide (issue 15, item 9).
 * The other subscribers' cursors (the broker's) are named by the code; at most MAX_CURSOR_SERIES
 * of them are shown, the furthest behind first, so even a table filled by hand stays bounded.
 */
export const MAX_CURSOR_SERIES = 20;
const RELAY_LAG_SQL = `
  WITH n AS (SELECT coalesce(max(id), 0) AS newest FROM interview_events)
  SELECT 'webhooks' AS subscriber, coalesce(max(greatest(n.newest - w.position, 0)), 0)::float8 AS lag
    FROM n LEFT JOIN webhooks w ON w.active AND w.state <> 'disabled'
  UNION ALL
  (SELECT c.subscriber, greatest(n.newest - c.position, 0)::float8 AS lag
     FROM n CROSS JOIN event_cursors c
    ORDER BY 2 DESC, 1
    LIMIT ${MAX_CURSOR_SERIES})`;

/** How many subscriptions are in each state: four series whatever their number. */
const WEBHOOK_STATES_SQL = `
  SELECT s.state, count(w.id)::float8 AS count
    FROM (VALUES ('healthy'), ('failing'), ('disabled'), ('inactive')) s(state)
    LEFT JOIN webhooks w ON s.state = CASE WHEN w.state = 'disabled' THEN 'disabled' WHEN NOT w.active THEN 'inactive' ELSE w.state END
   GROUP BY s.state`;

/**
 * Read at scrape time: `db_pool_connections{state}` from the pool (DatabasePool),
 * `event_relay_lag{subscriber}` from the relay cursors and `webhook_subscriptions{state}`.
 * Every label takes a bounded set of values.
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
      help: 'Events not yet taken by the relay: the newest event id minus a cursor; subscriber="webhooks" is the largest among live webhook subscriptions',
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
    new Gauge({
      name: 'webhook_subscriptions',
      help: 'Webhook subscriptions by state: healthy, failing, disabled, inactive (active: false)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        if (!dataSource.isInitialized) return;
        try {
          const rows: { state: string; count: number }[] = await dataSource.query(WEBHOOK_STATES_SQL);
          for (const row of rows) this.set({ state: row.state }, Number(row.count));
        } catch (error) {
          logger.warn(`webhook subscriptions not counted: ${(error as Error).message}`);
        }
      },
    });
  }
}
