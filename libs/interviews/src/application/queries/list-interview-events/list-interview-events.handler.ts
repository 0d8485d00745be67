import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '#platform';
import { type EventJson, EventLog } from '#events';
import { InterviewReadRepository } from '../../../infrastructure/interview-read.repository';
import { visibilityOf } from '../visibility';
import { ListInterviewEventsQuery } from './list-interview-events.query';

@QueryHandler(ListInterviewEventsQuery)
export class ListInterviewEventsHandler implements IQueryHandler<ListInterviewEventsQuery> {
  constructor(
    private readonly interviews: InterviewReadRepository,
    private readonly events: EventLog,
  ) {}

  async execute({ viewer, interviewId }: ListInterviewEventsQuery): Promise<EventJson[]> {
    if (!(await this.interviews.findOne(interviewId, visibilityOf(viewer)))) throw new NotFoundError('interview not found');
    return this.events.forInterview(interviewId);
  }
}
