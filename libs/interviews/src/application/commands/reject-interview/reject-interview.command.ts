import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** The driver turns the interview down; the interviewee's stage becomes rejected in the same transaction. */
export class RejectInterviewCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions) {
    super(actor, interviewId, expectedVersions);
  }
}
