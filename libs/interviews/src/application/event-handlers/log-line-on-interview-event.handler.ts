import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { actorJson, INTERVIEW_EVENT_CLASSES, InterviewEvent } from '../../domain';

/**
 * The in-process subscriber: one structured log line per committed event, naming the event type,
 * the interview and the actor. Not the event's data: it can hold free text (a cancel reason, the
 * AI interview's questions) that has no business in logs, it is in the event log for whoever may
 * read it (GET /api/v1/events), and serializing it was half of the line's cost. No request id: see
 * RequestLog.
 */
@EventsHandler(...INTERVIEW_EVENT_CLASSES)
export class LogLineOnInterviewEventHandler implements IEventHandler<InterviewEvent> {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('InterviewEvents');
  }

  handle(event: InterviewEvent): void {
    this.logger.info(
      { event: { type: event.type, interview_id: Number(event.interviewId), actor: actorJson(event.actor) } },
      event.type,
    );
  }
}
