export * from './interviews.module';
export * from './domain';
// The commands, for other composition roots (the CLI) that send them through the CommandBus.
export { AcceptInterviewCommand } from './application/commands/accept-interview/accept-interview.command';
export { AmendInterviewCommand } from './application/commands/amend-interview/amend-interview.command';
export { CancelInterviewCommand } from './application/commands/cancel-interview/cancel-interview.command';
export { CompleteInterviewCommand } from './application/commands/complete-interview/complete-interview.command';
export { CreateInterviewCommand } from './application/commands/create-interview/create-interview.command';
export { DeclineAmendmentCommand } from './application/commands/decline-amendment/decline-amendment.command';
export { MarkNoShowCommand } from './application/commands/mark-no-show/mark-no-show.command';
export { RejectInterviewCommand } from './application/commands/reject-interview/reject-interview.command';
export { UpdateInterviewConfigCommand } from './application/commands/update-interview-config/update-interview-config.command';
