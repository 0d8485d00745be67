import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { AcceptInterviewCommand } from './accept-interview.command';

@CommandHandler(AcceptInterviewCommand)
export class AcceptInterviewHandler implements ICommandHandler<AcceptInterviewCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: AcceptInterviewCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => interview.accept(actor, now, expected), command.claim);
    return { id: interview.id, version: interview.version };
  }
}
