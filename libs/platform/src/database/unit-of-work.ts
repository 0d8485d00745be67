declare const OPEN_TRANSACTION: unique symbol;

/**
 * One open database transaction, opaque outside the database layer. A use case receives it from
 * `UnitOfWork.run` and hands it to every repository call that must be part of the transaction.
 */
export interface Transaction {
  readonly [OPEN_TRANSACTION]: true;
}

/**
 * The transaction boundary of a use case, as a port: application code runs `work` in one
 * database transaction without knowing the ORM, passing `tx` to the repositories it calls.
 *
 * The transaction is passed explicitly rather than found in AsyncLocalStorage: on Node 20 an
 * active AsyncLocalStorage turns on promise hooks for the whole process, a cost on every promise
 * of every request (about 5 % of a read's CPU, measured in `npm run bench`).
 */
export abstract class UnitOfWork {
  abstract run<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Calls `then` once the transaction `tx` belongs to has committed; never when it rolls back.
   * Inside a batch that joins one outer transaction, that is the outer transaction's commit.
   */
  abstract afterCommit(tx: Transaction, then: () => void): void;
}
