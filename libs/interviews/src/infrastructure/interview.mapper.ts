import { actorJson, type InterviewEvent, type InterviewState } from '../domain';
import { InterviewEventRecord, type IntervieweeRecord, InterviewRecord } from './interview.records';

/**
 * Entity ↔ aggregate, both ways, in one place: the repository loads an InterviewRecord (with its
 * interviewee) and hands the aggregate its state; it saves the aggregate's snapshot as the columns
 * of an InterviewRecord and its uncommitted events as InterviewEventRecords.
 */
/** What an insert writes: every column of toNewRecord, the id included. */
const NEW_COLUMNS = ['id', 'interviewerId', 'intervieweeId', 'kind', 'location', 'startAt', 'endAt', 'status', 'config', 'version'] as const;
/** What a change writes: every column of toChangedColumns (updated_at is the database's now()). */
const CHANGED_COLUMNS = [
  'startAt',
  'endAt',
  'amendStartAt',
  'amendEndAt',
  'amendedBy',
  'status',
  'statusBeforeAmendment',
  'cancelReason',
  'config',
  'version',
] as const;
/** What an event row writes: every column of toEventRecord (the id is the database's). */
const EVENT_COLUMNS = ['interviewId', 'type', 'actor', 'data', 'occurredAt'] as const;

export const InterviewMapper = {
  NEW_COLUMNS,
  CHANGED_COLUMNS,
  EVENT_COLUMNS,

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
  toNewRecord(state: InterviewState): Record<(typeof NEW_COLUMNS)[number], unknown> {
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
  toChangedColumns(state: InterviewState): Record<(typeof CHANGED_COLUMNS)[number], unknown> {
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

  toEventRecord(event: InterviewEvent): Record<(typeof EVENT_COLUMNS)[number], unknown> {
    return {
      interviewId: event.interviewId,
      type: event.type,
      actor: actorJson(event.actor),
      data: event.data,
      occurredAt: event.occurredAt,
    };
  },
};
