import type { Transaction } from '#platform';
import type { Interview } from './interview';

/** Where interviews are kept. Changes run inside the use case's unit of work (one transaction, `tx`). */
export abstract class InterviewRepository {
  abstract nextId(): Promise<string>;
  /** Loads and row-locks the interview until the transaction ends; null when there is none. */
  abstract findForUpdate(id: string, tx: Transaction): Promise<Interview | null>;
  /**
   * Inserts a new interview or applies the changes of a loaded one (versioned: a version that
   * moved underneath is an error, never a silent overwrite), with one event row per uncommitted event.
   * A double booking of the interviewer fails with ScheduleConflictError.
   */
  abstract save(interview: Interview, tx: Transaction): Promise<void>;
}

export interface IntervieweeRef {
  id: string;
  driverId: string;
}

export abstract class IntervieweeRepository {
  abstract findById(id: string, tx?: Transaction): Promise<IntervieweeRef | null>;
  /** The driver's stage becomes `rejected` (the driver turned an interview down). */
  abstract markRejected(id: string, at: Date, tx: Transaction): Promise<void>;
}
