import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { DatabasePool } from './database-pool';
import { type Transaction, UnitOfWork } from './unit-of-work';

const MAX_ATTEMPTS = 3;
const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

/**
 * What a Transaction is inside this layer: TypeORM's QueryRunner in a transaction (its
 * EntityManager is what the entity repositories write through), the pooled connection it holds
 * (plain statements of the same transaction go straight to it), and what waits for the commit.
 */
interface OpenTransaction {
  readonly runner: QueryRunner;
  readonly client: PoolClient;
  readonly afterCommit: (() => void)[];
}

/** The EntityManager of a transaction: the entity repositories save and lock through it. */
export function entityManagerOf(tx: Transaction): EntityManager {
  return (tx as unknown as OpenTransaction).runner.manager;
}

/**
 * The unit of work of the use cases, and plain SQL for the statements written by hand.
 *
 * `run` opens a TypeORM transaction (a QueryRunner of the DataSource: the entity repositories write
 * through `entityManagerOf(tx)`), and gives `work` the Transaction; a statement given that
 * Transaction goes to the same connection. A statement without one is a read of the tuned read
 * models and goes to the pool directly, which is the same pool TypeORM uses (DatabasePool):
 * `DataSource.query` would build a QueryRunner and broadcast subscriber events around each one.
 */
@Injectable()
export class Sql extends UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');
  /**
   * Set only by `joinOneTransaction` (a CLI batch): while it runs, every `run` and every statement
   * joins its transaction. The API never enters it, so this AsyncLocalStorage never turns promise
   * hooks on there.
   */
  private readonly ambient = new AsyncLocalStorage<Transaction>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly database: DatabasePool,
  ) {
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

  afterCommit(tx: Transaction, then: () => void): void {
    (tx as unknown as OpenTransaction).afterCommit.push(then);
  }

  /**
   * Runs `work` in one transaction that every `run` and statement inside it joins (the use cases'
   * own transactions become part of it): all of `work` is committed together or not at all, and
   * what waits for a commit waits for this one.
   */
  async joinOneTransaction<T>(work: () => Promise<T>): Promise<T> {
    return this.run((tx) => this.ambient.run(tx, work));
  }

  private async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('master');
    const afterCommit: (() => void)[] = [];
    let result: T;
    try {
      const client = (await runner.connect()) as PoolClient;
      await runner.startTransaction();
      try {
        result = await work({ runner, client, afterCommit } satisfies OpenTransaction as unknown as Transaction);
        await runner.commitTransaction();
      } catch (error) {
        if (runner.isTransactionActive) {
          // A connection whose rollback failed is broken; its 'error' event makes TypeORM hand it
          // back to the pool as such, and the pool discards it.
          await runner.rollbackTransaction().catch((failed: Error) => this.logger.warn(`rollback failed: ${failed.message}`));
        }
        throw error;
      }
    } finally {
      await runner.release();
    }
    for (const then of afterCommit) {
      try {
        then();
      } catch (error) {
        // The change is committed: what only follows it must not turn it into a failure.
        this.logger.error(`after commit: ${(error as Error).message}`);
      }
    }
    return result;
  }

  private client(tx: Transaction | undefined): { query: PoolClient['query'] } {
    const joined = tx ?? this.ambient.getStore();
    return joined ? (joined as unknown as OpenTransaction).client : this.database.pool;
  }
}
