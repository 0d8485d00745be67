import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

const MAX_ATTEMPTS = 3;
const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

/**
 * Plain SQL on the connection pool TypeORM opened (one pool: its size, timeouts, metrics and
 * shutdown stay TypeORM's), and the unit of work of the use cases. `run` holds one pooled client in
 * a transaction and keeps it in AsyncLocalStorage, so every statement issued inside it — by any
 * repository — goes to that transaction without passing it around; outside `run`, a statement
 * takes any pooled connection.
 *
 * The hot paths (every read, every change, every authentication) go through here rather than
 * `DataSource.query`, which builds and releases a QueryRunner and broadcasts subscriber events
 * around each statement. TypeORM keeps the migrations and the entity repositories of the admin paths.
 */
@Injectable()
export class Sql extends UnitOfWork {
  private readonly storage = new AsyncLocalStorage<PoolClient>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /** The rows of a statement. */
  async query<T extends QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> {
    return (await this.client().query<T>(text, params)).rows;
  }

  /** How many rows a statement changed. */
  async execute(text: string, params?: unknown[]): Promise<number> {
    return (await this.client().query(text, params)).rowCount ?? 0;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(work);
      } catch (error) {
        // Two exclusion checks can wait on each other; PostgreSQL breaks the cycle by failing one
        // transaction, which is then simply run again on the state the other left.
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await this.storage.run(client, work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
      throw error;
    } finally {
      // A client whose rollback failed is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }

  private client(): Pool | PoolClient {
    return this.storage.getStore() ?? this.pool;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
