import { Injectable } from '@nestjs/common';
import { ScheduleConflictError, Sql, type Transaction } from '#platform';
import { actorJson, Interview, InterviewEvent, InterviewRepository, InterviewState } from '../domain';
import { appendEventsStatement } from './interview-events.sql';

/** Row of the locking read: the interview and the driver behind its interviewee. */
interface LockedRow {
  id: string;
  interviewer_id: string;
  interviewee_id: string;
  driver_id: string;
  kind: InterviewState['kind'];
  location: string | null;
  start_at: Date;
  end_at: Date;
  amend_start_at: Date | null;
  amend_end_at: Date | null;
  amended_by: 'interviewer' | 'interviewee' | null;
  status: InterviewState['status'];
  status_before_amendment: InterviewState['statusBeforeAmendment'];
  cancel_reason: string | null;
  config: InterviewState['config'];
  version: number;
}

const EXCLUSION_VIOLATION = '23P01';

/** Raised when a versioned update finds the row moved on: a bug or a lost lock, never silent. */
export class ConcurrentUpdateError extends Error {}

@Injectable()
export class SqlInterviewRepository extends InterviewRepository {
  /** Versions as loaded, so that save() knows insert from update and which version to guard. */
  private readonly loaded = new WeakMap<Interview, number>();

  constructor(private readonly sql: Sql) {
    super();
  }

  async nextId(): Promise<string> {
    const [row] = await this.sql.query<{ id: string }>(`SELECT nextval('interviews_id_seq')::text AS id`);
    return row.id;
  }

  async findForUpdate(id: string, tx: Transaction): Promise<Interview | null> {
    // One statement locks the interview row and reads what the rules need.
    const rows = await this.sql.query<LockedRow>(
      `SELECT i.id::text, i.interviewer_id::text, i.interviewee_id::text, e.driver_id::text, i.kind, i.location,
              i.start_at, i.end_at, i.amend_start_at, i.amend_end_at, i.amended_by, i.status,
              i.status_before_amendment, i.cancel_reason, i.config, i.version
         FROM interviews i JOIN interviewees e ON e.id = i.interviewee_id
        WHERE i.id = $1
          FOR UPDATE OF i`,
      [id],
      tx,
    );
    if (rows.length === 0) return null;
    const interview = Interview.rehydrate(toState(rows[0]));
    this.loaded.set(interview, interview.version);
    return interview;
  }

  async save(interview: Interview, tx: Transaction): Promise<void> {
    const events = interview.getUncommittedEvents();
    const s = interview.snapshot();
    const loadedVersion = this.loaded.get(interview);
    try {
      if (loadedVersion === undefined) {
        await this.sql.execute(
          `INSERT INTO interviews (id, interviewer_id, interviewee_id, kind, location, start_at, end_at, status, config, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [s.id, s.interviewerId, s.intervieweeId, s.kind, s.location, s.startAt, s.endAt, s.status, s.config, s.version],
          tx,
        );
      } else if (s.version !== loadedVersion) {
        const affected = await this.sql.execute(
          `UPDATE interviews
              SET start_at = $3, end_at = $4, amend_start_at = $5, amend_end_at = $6, amended_by = $7, status = $8,
                  status_before_amendment = $9, cancel_reason = $10, config = $11, version = $12, updated_at = now()
            WHERE id = $1 AND version = $2`,
          [
            s.id, loadedVersion, s.startAt, s.endAt, s.proposal?.startAt ?? null, s.proposal?.endAt ?? null,
            s.proposal?.by ?? null, s.status, s.statusBeforeAmendment, s.cancelReason, s.config, s.version,
          ],
          tx,
        );
        if (affected !== 1) throw new ConcurrentUpdateError(`interview ${s.id} moved past version ${loadedVersion}`);
      }
    } catch (error) {
      if ((error as { code?: unknown })?.code === EXCLUSION_VIOLATION) {
        throw new ScheduleConflictError();
      }
      throw error;
    }
    await this.appendEvents(events, tx);
    this.loaded.set(interview, s.version);
  }

  private async appendEvents(events: InterviewEvent[], tx: Transaction): Promise<void> {
    if (events.length === 0) return;
    const { text, params } = appendEventsStatement(
      events.map((event) => [event.interviewId, event.type, actorJson(event.actor), event.data, event.occurredAt]),
    );
    await this.sql.execute(text, params, tx);
  }
}

function toState(row: LockedRow): InterviewState {
  return {
    id: row.id,
    interviewerId: row.interviewer_id,
    intervieweeId: row.interviewee_id,
    driverId: row.driver_id,
    kind: row.kind,
    location: row.location,
    startAt: row.start_at,
    endAt: row.end_at,
    proposal:
      row.amend_start_at && row.amend_end_at && row.amended_by
        ? { startAt: row.amend_start_at, endAt: row.amend_end_at, by: row.amended_by }
        : null,
    status: row.status,
    statusBeforeAmendment: row.status_before_amendment,
    cancelReason: row.cancel_reason,
    config: row.config,
    version: row.version,
  };
}
