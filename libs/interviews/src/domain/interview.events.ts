import type { Actor } from './actor';

/** A change of one interview, recorded in the event log in the same transaction as the change. */
export abstract class InterviewEvent<TData extends object = Record<string, unknown>> {
  abstract readonly type: string;
  constructor(
    readonly interviewId: string,
    readonly actor: Actor,
    readonly data: TData,
    readonly occurredAt: Date,
  ) {}
}

type Times = { start_at: string; end_at: string };

export class InterviewCreated extends InterviewEvent<
  Times & { interviewer_id: number; interviewee_id: number; kind: string; location: string | null; status: 'pending' }
> {
  readonly type = 'interview.created';
}

export class InterviewAccepted extends InterviewEvent<Times & { status: 'scheduled'; previous_status: 'pending' }> {
  readonly type = 'interview.accepted';
}

/** The proposal, who made it, and the times it would replace. */
export class InterviewAmended extends InterviewEvent<{
  amend_start_at: string;
  amend_end_at: string;
  amended_by: string;
  start_at: string;
  end_at: string;
  previous_status: string;
  replaced_proposal: { amend_start_at: string; amend_end_at: string; amended_by: string } | null;
}> {
  readonly type = 'interview.amended';
}

export class InterviewAmendmentAccepted extends InterviewEvent<
  Times & { previous_start_at: string; previous_end_at: string; amended_by: string; status: 'scheduled' }
> {
  readonly type = 'interview.amendment_accepted';
}

export class InterviewAmendmentDeclined extends InterviewEvent<{
  amend_start_at: string;
  amend_end_at: string;
  amended_by: string;
  status: string;
}> {
  readonly type = 'interview.amendment_declined';
}

export class InterviewRejected extends InterviewEvent<{ previous_status: string; status: 'rejected' }> {
  readonly type = 'interview.rejected';
}

export class InterviewCancelled extends InterviewEvent<{ previous_status: string; status: 'cancelled'; reason: string | null }> {
  readonly type = 'interview.cancelled';
}

export class InterviewCompleted extends InterviewEvent<{ status: 'completed' }> {
  readonly type = 'interview.completed';
}

export class InterviewMarkedNoShow extends InterviewEvent<{ status: 'no_show' }> {
  readonly type = 'interview.no_show';
}

export class InterviewConfigUpdated extends InterviewEvent<{
  changed: string[];
  old: Record<string, unknown>;
  new: Record<string, unknown>;
}> {
  readonly type = 'interview.config_updated';
}

export const INTERVIEW_EVENT_CLASSES = [
  InterviewCreated,
  InterviewAccepted,
  InterviewAmended,
  InterviewAmendmentAccepted,
  InterviewAmendmentDeclined,
  InterviewRejected,
  InterviewCancelled,
  InterviewCompleted,
  InterviewMarkedNoShow,
  InterviewConfigUpdated,
] as const;
