import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** Accepts a pending interview, or the other side's proposal. */
export class AcceptInterviewCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions) {
    super(actor, interviewId, expectedVersions);
  }
}
