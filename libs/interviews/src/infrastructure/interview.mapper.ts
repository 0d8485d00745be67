import type { QueryDeepPartialEntity } from 'typeorm';
import { actorJson, type InterviewEvent, type InterviewState } from '../domain';
import { InterviewEventRecord, type IntervieweeRecord, InterviewRecord } from './interview.records';

/**
 * Entity ↔ aggregate, both ways, in one place: the repository loads an InterviewRecord (with its
 * interviewee) and hands the aggregate its state; it saves the aggregate's snapshot as the columns
 * of an InterviewRecord and its uncommitted events as InterviewEventRecords.
 */
export const InterviewMapper = {
  /** What an insert writes: every column of toNewRecord, the id included. */
  NEW_COLUMNS: ['id', 'interviewerId', 'intervieweeId', 'kind', 'location', 'startAt', 'endAt', 'status', 'config', 'version'],

  toState(record: InterviewRecord & { interviewee: Pick<IntervieweeRecord, 'driverId'> }): InterviewState {
    return {
      id: record.id,
      interviewerId: record.interviewerId,
      intervieweeId: record.intervieweeId,
      driverId: record.interviewee.driverId,
      kind: record.kind,
      location: record.location,
      startAt: record.startAt,
      endAt: record.endAt,
      proposal:
        record.amendStartAt && record.amendEndAt && record.amendedBy
          ? { startAt: record.amendStartAt, endAt: record.amendEndAt, by: record.amendedBy }
          : null,
      status: record.status,
      statusBeforeAmendment: record.statusBeforeAmendment,
      cancelReason: record.cancelReason,
      config: record.config,
      version: record.version,
    };
  },

  /** The columns of a new interview (created_at and updated_at are the database's). */
  toNewRecord(state: InterviewState): QueryDeepPartialEntity<InterviewRecord> {
    return {
      id: state.id,
      interviewerId: state.interviewerId,
      intervieweeId: state.intervieweeId,
      kind: state.kind,
      location: state.location,
      startAt: state.startAt,
      endAt: state.endAt,
      status: state.status,
      config: state.config,
      version: state.version,
    };
  },

  /** The columns a change can move: the times, the proposal, the status, the config, the version. */
  toChangedColumns(state: InterviewState): QueryDeepPartialEntity<InterviewRecord> {
    return {
      startAt: state.startAt,
      endAt: state.endAt,
      amendStartAt: state.proposal?.startAt ?? null,
      amendEndAt: state.proposal?.endAt ?? null,
      amendedBy: state.proposal?.by ?? null,
      status: state.status,
      statusBeforeAmendment: state.statusBeforeAmendment,
      cancelReason: state.cancelReason,
      config: state.config,
      version: state.version,
    };
  },

  toEventRecord(event: InterviewEvent): QueryDeepPartialEntity<InterviewEventRecord> {
    return {
      interviewId: event.interviewId,
      type: event.type,
      actor: actorJson(event.actor),
      data: event.data,
      occurredAt: event.occurredAt,
    };
  },
};
