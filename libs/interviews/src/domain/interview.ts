import { AggregateRoot } from '@nestjs/cqrs';
import {
  FieldError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PreconditionFailedError,
  ValidationFailedError,
} from '#platform/errors';
import { type Actor, sideOf } from './actor';
import {
  changedFields,
  codingRoundProblem,
  DEFAULT_CONFIG,
  InterviewConfig,
  InterviewConfigPatch,
  mergeConfig,
} from './interview-config';
import {
  InterviewAccepted,
  InterviewAmended,
  InterviewAmendmentAccepted,
  InterviewAmendmentDeclined,
  InterviewCancelled,
  InterviewCompleted,
  InterviewConfigUpdated,
  InterviewCreated,
  InterviewEvent,
  InterviewMarkedNoShow,
  InterviewRejected,
} from './interview.events';
import {
  allowedActions,
  decide,
  InterviewAction,
  InterviewStatus,
  ProposingSide,
  Side,
} from './transitions';

export type InterviewKind = 'video_call' | 'in_person';
export const INTERVIEW_KINDS: readonly InterviewKind[] = ['video_call', 'in_person'];

export const MAX_DURATION_MS = 12 * 60 * 60 * 1000;

export interface Proposal {
  startAt: Date;
  endAt: Date;
  by: ProposingSide;
}

export interface InterviewState {
  id: string;
  interviewerId: string;
  intervieweeId: string;
  /** The driver behind the interviewee: who the interviewee side is. */
  driverId: string;
  kind: InterviewKind;
  location: string | null;
  startAt: Date;
  endAt: Date;
  proposal: Proposal | null;
  status: InterviewStatus;
  statusBeforeAmendment: 'pending' | 'scheduled' | null;
  cancelReason: string | null;
  config: InterviewConfig;
  version: number;
}

export interface NewInterview {
  id: string;
  interviewerId: string;
  intervieweeId: string;
  driverId: string;
  kind: InterviewKind;
  location: string | null;
  startAt: Date;
  endAt: Date;
  config?: InterviewConfigPatch;
}

/** What a command may assert about the version it saw (If-Match); undefined: no condition. */
export type ExpectedVersions = readonly number[] | undefined;

/**
 * The interview aggregate. Every change goes check → change → apply(event); the rules come from
 * the transition table. No public setters: state is read through `snapshot()`.
 */
export class Interview extends AggregateRoot<InterviewEvent> {
  private constructor(private state: InterviewState) {
    super();
  }

  static rehydrate(state: InterviewState): Interview {
    return new Interview({ ...state });
  }

  static create(input: NewInterview, actor: Actor, now: Date): Interview {
    const problems = timeProblems(input.startAt, input.endAt, now, 'start_at', 'end_at');
    const config = mergeConfig(DEFAULT_CONFIG, input.config ?? {});
    const coding = codingRoundProblem(config);
    if (coding) problems.push({ field: 'interview.config.selected_coding_language', message: coding });
    if (problems.length) throw ValidationFailedError.of(problems);

    const interview = new Interview({
      ...input,
      proposal: null,
      status: 'pending',
      statusBeforeAmendment: null,
      cancelReason: null,
      config,
      version: 1,
    });
    interview.apply(
      new InterviewCreated(input.id, actor, {
        interviewer_id: Number(input.interviewerId),
        interviewee_id: Number(input.intervieweeId),
        kind: input.kind,
        location: input.location,
        start_at: iso(input.startAt),
        end_at: iso(input.endAt),
        status: 'pending',
      }, now),
    );
    return interview;
  }

  get id(): string {
    return this.state.id;
  }

  get version(): number {
    return this.state.version;
  }

  snapshot(): Readonly<InterviewState> {
    return this.state;
  }

  /** The side `actor` acts for on this interview, or null when it is not theirs to see. */
  sideOf(actor: Actor): Side | null {
    return sideOf(actor, this.state);
  }

  allowedActionsFor(actor: Actor, now: Date): InterviewAction[] {
    const side = this.sideOf(actor);
    return side ? allowedActions(side, this.context(now)) : [];
  }

  amend(actor: Actor, startAt: Date, endAt: Date, now: Date, expected?: ExpectedVersions): void {
    const side = this.authorize(actor, 'amend', now, expected, () => {
      const problems = timeProblems(startAt, endAt, now, 'amend_start_at', 'amend_end_at');
      if (!problems.length && startAt.getTime() === this.state.startAt.getTime() && endAt.getTime() === this.state.endAt.getTime()) {
        problems.push({ field: 'interview.amend_start_at', message: 'must differ from the current times' });
      }
      return problems;
    });
    const previous = this.state;
    const by: ProposingSide = side === 'interviewee' ? 'interviewee' : 'interviewer';
    this.change({
      status: 'amended',
      proposal: { startAt, endAt, by },
      statusBeforeAmendment: previous.status === 'amended' ? previous.statusBeforeAmendment : (previous.status as 'pending' | 'scheduled'),
    });
    this.apply(
      new InterviewAmended(this.id, actor, {
        amend_start_at: iso(startAt),
        amend_end_at: iso(endAt),
        amended_by: by,
        start_at: iso(previous.startAt),
        end_at: iso(previous.endAt),
        previous_status: previous.status,
        replaced_proposal: previous.proposal
          ? { amend_start_at: iso(previous.proposal.startAt), amend_end_at: iso(previous.proposal.endAt), amended_by: previous.proposal.by }
          : null,
      }, now),
    );
  }

  /** Accepts a pending interview, or the other side's open proposal (the times move). */
  accept(actor: Actor, now: Date, expected?: ExpectedVersions): void {
    this.authorize(actor, 'accept', now, expected);
    const previous = this.state;
    if (previous.status === 'pending') {
      this.change({ status: 'scheduled' });
      this.apply(new InterviewAccepted(this.id, actor, {
        start_at: iso(previous.startAt), end_at: iso(previous.endAt), status: 'scheduled', previous_status: 'pending',
      }, now));
      return;
    }
    const proposal = previous.proposal!;
    this.change({ status: 'scheduled', startAt: proposal.startAt, endAt: proposal.endAt, proposal: null, statusBeforeAmendment: null });
    this.apply(new InterviewAmendmentAccepted(this.id, actor, {
      start_at: iso(proposal.startAt),
      end_at: iso(proposal.endAt),
      previous_start_at: iso(previous.startAt),
      previous_end_at: iso(previous.endAt),
      amended_by: proposal.by,
      status: 'scheduled',
    }, now));
  }

  declineAmendment(actor: Actor, now: Date, expected?: ExpectedVersions): void {
    this.authorize(actor, 'decline_amendment', now, expected);
    const proposal = this.state.proposal!;
    const status = this.state.statusBeforeAmendment ?? 'pending';
    this.change({ status, proposal: null, statusBeforeAmendment: null });
    this.apply(new InterviewAmendmentDeclined(this.id, actor, {
      amend_start_at: iso(proposal.startAt), amend_end_at: iso(proposal.endAt), amended_by: proposal.by, status,
    }, now));
  }

  reject(actor: Actor, now: Date, expected?: ExpectedVersions): void {
    this.authorize(actor, 'reject', now, expected);
    const previous = this.state.status;
    this.change({ status: 'rejected', proposal: null, statusBeforeAmendment: null });
    this.apply(new InterviewRejected(this.id, actor, { previous_status: previous, status: 'rejected' }, now));
  }

  cancel(actor: Actor, reason: string | null, now: Date, expected?: ExpectedVersions): void {
    this.authorize(actor, 'cancel', now, expected);
    const previous = this.state.status;
    this.change({ status: 'cancelled', proposal: null, statusBeforeAmendment: null, cancelReason: reason });
    this.apply(new InterviewCancelled(this.id, actor, { previous_status: previous, status: 'cancelled', reason }, now));
  }

  complete(actor: Actor, now: Date, expected?: ExpectedVersions): void {
    this.authorize(actor, 'complete', now, expected);
    this.change({ status: 'completed' });
    this.apply(new InterviewCompleted(this.id, actor, { status: 'completed' }, now));
  }

  markNoShow(actor: Actor, now: Date, expected?: ExpectedVersions): void {
    this.authorize(actor, 'no_show', now, expected);
    this.change({ status: 'no_show' });
    this.apply(new InterviewMarkedNoShow(this.id, actor, { status: 'no_show' }, now));
  }

  /** Partial update of the AI-interview configuration; a change of nothing records nothing. */
  updateConfig(actor: Actor, patch: InterviewConfigPatch, now: Date, expected?: ExpectedVersions): boolean {
    let next: InterviewConfig = this.state.config;
    this.authorize(actor, 'update_config', now, expected, () => {
      next = mergeConfig(this.state.config, patch);
      const coding = codingRoundProblem(next);
      return coding ? [{ field: 'selected_coding_language', message: coding }] : [];
    });
    const changed = changedFields(this.state.config, next);
    if (changed.length === 0) return false;
    const before = this.state.config;
    this.change({ config: next });
    this.apply(new InterviewConfigUpdated(this.id, actor, {
      changed,
      old: Object.fromEntries(changed.map((f) => [f, before[f]])),
      new: Object.fromEntries(changed.map((f) => [f, next[f]])),
    }, now));
    return true;
  }

  /**
   * The one gate of every action, in the contract's order: not theirs to see (404), bad input
   * (400), stale If-Match (412), then the transition table (403 / 409).
   */
  private authorize(
    actor: Actor,
    action: InterviewAction,
    now: Date,
    expected: ExpectedVersions,
    inputProblems?: () => FieldError[],
  ): Side {
    const side = this.sideOf(actor);
    if (!side) throw new NotFoundError('interview not found');
    const problems = inputProblems?.() ?? [];
    if (problems.length) throw ValidationFailedError.of(problems);
    if (expected && !expected.includes(this.state.version)) throw new PreconditionFailedError();
    const decision = decide(action, side, this.context(now));
    if (!decision.allowed) {
      throw decision.code === 'forbidden' ? new ForbiddenError(decision.reason) : new InvalidTransitionError(decision.reason);
    }
    return side;
  }

  private context(now: Date) {
    return { status: this.state.status, amendedBy: this.state.proposal?.by ?? null, startAt: this.state.startAt, now };
  }

  /** Every change is one version step (the repository's versioned update enforces it). */
  private change(patch: Partial<InterviewState>): void {
    this.state = { ...this.state, ...patch, version: this.state.version + 1 };
  }
}

function timeProblems(startAt: Date, endAt: Date, now: Date, startField: string, endField: string): FieldError[] {
  const problems: FieldError[] = [];
  if (endAt.getTime() <= startAt.getTime()) {
    problems.push({ field: `interview.${endField}`, message: `must be after ${startField}` });
  } else if (endAt.getTime() - startAt.getTime() > MAX_DURATION_MS) {
    problems.push({ field: `interview.${endField}`, message: 'must be at most 12 hours after the start' });
  }
  if (startAt.getTime() <= now.getTime()) {
    problems.push({ field: `interview.${startField}`, message: 'must be in the future' });
  }
  return problems;
}

export function iso(date: Date): string {
  return date.toISOString();
}
