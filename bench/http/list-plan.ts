import { listStatement } from '../../libs/interviews/src/infrastructure/interview-view.sql';

/** The statement of an interviewer's first page of 25, as the service sends it. */
export function interviewerPage(userId: string) {
  return listStatement({ page: 1, perPage: 25 }, { all: false, userId });
}
