import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '#platform';
import { InterviewReadModel, type InterviewView } from '../../ports/interview-read-model';
import { visibilityOf } from '../visibility';
import { GetInterviewQuery } from './get-interview.query';

@QueryHandler(GetInterviewQuery)
export class GetInterviewHandler implements IQueryHandler<GetInterviewQuery> {
  constructor(private readonly reads: InterviewReadModel) {}

  async execute({ viewer, interviewId }: GetInterviewQuery): Promise<InterviewView> {
    const view = await this.reads.findOne(interviewId, visibilityOf(viewer));
    if (!view) throw new NotFoundError('interview not found');
    return view;
  }
}
