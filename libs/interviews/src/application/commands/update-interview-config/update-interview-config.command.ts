import type { Actor, ExpectedVersions, InterviewConfigPatch } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** Partial update of the AI-interview configuration (micro1's "Update an interview"). */
export class UpdateInterviewConfigCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions, readonly patch: InterviewConfigPatch) {
    super(actor, interviewId, expectedVersions);
  }
}
