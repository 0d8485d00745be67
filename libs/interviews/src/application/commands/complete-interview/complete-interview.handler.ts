import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { CompleteInterviewCommand } from './complete-interview.command';

@CommandHandler(CompleteInterviewCommand)
export class CompleteInterviewHandler implements ICommandHandler<CompleteInterviewCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: CompleteInterviewCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => interview.complete(actor, now, expected), command.claim);
    return { id: interview.id, version: interview.version };
  }
}
