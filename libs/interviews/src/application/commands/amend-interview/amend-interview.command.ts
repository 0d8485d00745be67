import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** Proposes new times; a new proposal replaces an open one. */
export class AmendInterviewCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions, readonly startAt: Date, readonly endAt: Date) {
    super(actor, interviewId, expectedVersions);
  }
}
