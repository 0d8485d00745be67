import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

/**
 * Runs work in a TypeORM transaction and keeps its EntityManager in AsyncLocalStorage, so that
 * every repository called inside `run` uses the same connection without passing it around.
 * (A dozen lines of our own instead of @nestjs-cls/transactional, whose TypeORM adapter predates
 * TypeORM 1.x.)
 */
const MAX_ATTEMPTS = 3;
const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';

function isRetryable(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string })?.code : undefined;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  private readonly storage = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.storage.getStore()) return work();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => this.storage.run(manager, work));
      } catch (error) {
        // Two exclusion checks can wait on each other; PostgreSQL breaks the cycle by failing one
        // transaction, which is then simply run again on the state the other left.
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  /** The transaction's manager inside `run`, else the data source's own. */
  get manager(): EntityManager {
    return this.storage.getStore() ?? this.dataSource.manager;
  }
}
