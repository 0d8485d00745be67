import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '#platform';
import { type EventJson, EventLog } from '#events';
import { InterviewReadModel } from '../../ports/interview-read-model';
import { visibilityOf } from '../visibility';
import { ListInterviewEventsQuery } from './list-interview-events.query';

@QueryHandler(ListInterviewEventsQuery)
export class ListInterviewEventsHandler implements IQueryHandler<ListInterviewEventsQuery> {
  constructor(
    private readonly interviews: InterviewReadModel,
    private readonly events: EventLog,
  ) {}

  async execute({ viewer, interviewId }: ListInterviewEventsQuery): Promise<EventJson[]> {
    if (!(await this.interviews.findOne(interviewId, visibilityOf(viewer)))) throw new NotFoundError('interview not found');
    return this.events.forInterview(interviewId);
  }
}
