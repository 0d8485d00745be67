import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { MarkNoShowCommand } from './mark-no-show.command';

@CommandHandler(MarkNoShowCommand)
export class MarkNoShowHandler implements ICommandHandler<MarkNoShowCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: MarkNoShowCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => interview.markNoShow(actor, now, expected), command.claim);
    return { id: interview.id, version: interview.version };
  }
}
