import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { UpdateInterviewConfigCommand } from './update-interview-config.command';

/** A patch that changes nothing saves nothing: same version, no event. */
@CommandHandler(UpdateInterviewConfigCommand)
export class UpdateInterviewConfigHandler implements ICommandHandler<UpdateInterviewConfigCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: UpdateInterviewConfigCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected, patch } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => {
      interview.updateConfig(actor, patch, now, expected);
    }, command.claim);
    return { id: interview.id, version: interview.version };
  }
}
