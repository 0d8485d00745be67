/** The interview commands the CLI sends through the CommandBus (the bus finds a handler by class). */
export {
  AcceptInterviewCommand,
  AmendInterviewCommand,
  CancelInterviewCommand,
  CompleteInterviewCommand,
  CreateInterviewCommand,
  DeclineAmendmentCommand,
  MarkNoShowCommand,
  RejectInterviewCommand,
  UpdateInterviewConfigCommand,
} from '#interviews';
