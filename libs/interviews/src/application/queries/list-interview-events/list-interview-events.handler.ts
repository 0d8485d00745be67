import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '#platform';
import { InterviewEventReadRepository, InterviewEventView } from '../../../infrastructure/interview-event-read.repository';
import { InterviewReadRepository } from '../../../infrastructure/interview-read.repository';
import { visibilityOf } from '../visibility';
import { ListInterviewEventsQuery } from './list-interview-events.query';

@QueryHandler(ListInterviewEventsQuery)
export class ListInterviewEventsHandler implements IQueryHandler<ListInterviewEventsQuery> {
  constructor(
    private readonly interviews: InterviewReadRepository,
    private readonly events: InterviewEventReadRepository,
  ) {}

  async execute({ viewer, interviewId }: ListInterviewEventsQuery): Promise<InterviewEventView[]> {
    if (!(await this.interviews.findOne(interviewId, visibilityOf(viewer)))) throw new NotFoundError('interview not found');
    return this.events.forInterview(interviewId);
  }
}
