import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** The interviewer side calls the interview off, with an optional reason. */
export class CancelInterviewCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions, readonly reason: string | null) {
    super(actor, interviewId, expectedVersions);
  }
}
