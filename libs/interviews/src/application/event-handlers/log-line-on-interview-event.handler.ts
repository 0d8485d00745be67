import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { actorJson, INTERVIEW_EVENT_CLASSES, InterviewEvent } from '../../domain';

/**
 * The in-process subscriber: one structured log line per committed event. It runs in the request's
 * async context, so nestjs-pino binds the request (and its id) to the line.
 */
@EventsHandler(...INTERVIEW_EVENT_CLASSES)
export class LogLineOnInterviewEventHandler implements IEventHandler<InterviewEvent> {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('InterviewEvents');
  }

  handle(event: InterviewEvent): void {
    this.logger.info(
      { event: { type: event.type, interview_id: Number(event.interviewId), actor: actorJson(event.actor), data: event.data } },
      event.type,
    );
  }
}
