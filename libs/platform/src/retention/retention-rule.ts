import { DiscoveryService } from '@nestjs/core';

/**
 * What may be purged from one table: the module that owns the table says which rows are past their
 * use, the retention job (RetentionJob, in the worker) does the deleting, the locking and the
 * counting for every table alike.
 *
 * Why one job with rules registered by their owners rather than a job per module: the purge itself
 * (a lock per table so that one worker at a time works on it, bounded batches under the 5 s
 * statement timeout, the metric and the log line, the schedule, RETENTION=off) is the same for
 * every table and is the part that is easy to get wrong; written once, it is tested once. What
 * differs is only "which rows", and that is the owner's knowledge: identity knows when a revoked
 * token stops mattering, events which deliveries are finished. So each owner keeps its rule next
 * to its table, platform does not know identity's or events' tables, and a new table is one class.
 *
 * A rule is a provider marked `@RetentionRule()` in its owner's module; the job discovers them.
 */
export interface RetentionRule {
  /**
   * The table (a constant of the code, written into the statement; lower-case letters and
   * underscores) and the value of the metric's `table` label.
   */
  readonly table: string;
  /**
   * The rows that may go, as a condition on the table's own columns, with its parameters ($1, $2, …);
   * asked at every run. Never true of a row that is still in use: the job deletes whatever matches.
   */
  expired(): { where: string; params: unknown[] };
}

/** Marks a provider as a RetentionRule for the retention job to find. */
export const RetentionRule = DiscoveryService.createDecorator<void>();
