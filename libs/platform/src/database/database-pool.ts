import { Injectable } from '@nestjs/common';
import * as pg from 'pg';

/**
 * The application's one PostgreSQL connection pool, and the handle to it that the database layer
 * needs beside TypeORM: the tuned read statements and the pool's gauges.
 *
 * TypeORM creates the pool itself, from the `driver` it is given (a documented option of its
 * postgres driver: the `pg` module to use). `driver()` is that module with one change: its `Pool`
 * remembers the pool TypeORM opens. So there is one pool, configured once (database.module.ts)
 * and shut down by TypeORM with the app, and nothing reaches into TypeORM's private fields.
 */
@Injectable()
export class DatabasePool {
  private opened?: pg.Pool;

  /** The `pg` module for TypeORM's `driver` option. */
  driver(): typeof pg {
    const remember = (pool: pg.Pool) => (this.opened = pool);
    class RememberedPool extends pg.Pool {
      constructor(config?: pg.PoolConfig) {
        super(config);
        remember(this);
      }
    }
    return { ...pg, Pool: RememberedPool } as typeof pg;
  }

  /** The pool; TypeORM opens it while the app starts, before any provider can use it. */
  get pool(): pg.Pool {
    if (!this.opened) throw new Error('the database pool is not open yet');
    return this.opened;
  }

  /** Connections in the pool (total and idle) and callers waiting for one; zeros before it opens. */
  counts(): { total: number; idle: number; waiting: number } {
    const pool = this.opened;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
  }
}
