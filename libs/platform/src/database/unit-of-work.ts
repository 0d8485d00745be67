/**
 * The transaction boundary of a use case, as a port: application code runs `work` in one
 * database transaction without knowing the ORM. Repositories join the ambient transaction.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
