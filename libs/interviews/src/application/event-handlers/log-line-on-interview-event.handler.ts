import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { actorJson, INTERVIEW_EVENT_CLASSES, InterviewEvent } from '../../domain';

/**
 * The in-process subscriber: one structured log line per committed event, naming the interview,
 * the event type, the actor and the event's data (no request id: see RequestLog).
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
