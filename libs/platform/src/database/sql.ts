import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import { type Transaction, UnitOfWork } from './unit-of-work';

const MAX_ATTEMPTS = 3;
const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

/** What a Transaction is inside this layer: the pooled client the transaction runs on. */
interface OpenTransaction {
  readonly client: PoolClient;
}

/**
 * Plain SQL on the connection pool TypeORM opened (one pool: its size, timeouts, metrics and
 * shutdown stay TypeORM's), and the unit of work of the use cases. `run` holds one pooled client in
 * a transaction and gives `work` the Transaction; a statement given that Transaction goes to that
 * client, any other takes any pooled connection.
 *
 * The hot paths (every read, every change, every authentication) go through here rather than
 * `DataSource.query`, which builds and releases a QueryRunner and broadcasts subscriber events
 * around each statement. TypeORM keeps the migrations and the entity repositories of the admin paths.
 */
@Injectable()
export class Sql extends UnitOfWork {
  /**
   * Set only by `joinOneTransaction` (a CLI batch): while it runs, every `run` and every statement
   * joins its transaction. The API never enters it, so this AsyncLocalStorage never turns promise
   * hooks on there.
   */
  private readonly ambient = new AsyncLocalStorage<Transaction>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /** The rows of a statement; in `tx` when given, else on any pooled connection. */
  async query<T extends QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[], tx?: Transaction): Promise<T[]> {
    return (await this.client(tx).query<T>(text, params)).rows;
  }

  /** How many rows a statement changed; in `tx` when given, else on any pooled connection. */
  async execute(text: string, params?: unknown[], tx?: Transaction): Promise<number> {
    return (await this.client(tx).query(text, params)).rowCount ?? 0;
  }

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const outer = this.ambient.getStore();
    if (outer) return work(outer);
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

  /**
   * Runs `work` in one transaction that every `run` and statement inside it joins (the use cases'
   * own transactions become part of it): all of `work` is committed together or not at all.
   */
  async joinOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    return this.run((tx) => this.ambient.run(tx, work));
  }

  private async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: OpenTransaction = { client };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(tx as unknown as Transaction);
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

  private client(tx: Transaction | undefined): Pool | PoolClient {
    const joined = tx ?? this.ambient.getStore();
    return joined ? (joined as unknown as OpenTransaction).client : this.pool;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
