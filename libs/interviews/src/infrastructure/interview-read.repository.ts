import { Injectable } from '@nestjs/common';
import { Sql } from '#platform';
import type { InterviewConfig, InterviewStatus } from '../domain';
import { countStatement, findOneStatement, type InterviewFilter, listStatement, type Visibility } from './interview-view.sql';

/** One interview as the API shows it: the interview, its interviewer, interviewee and driver, one SQL query. */
export interface InterviewView {
  id: string;
  interviewer_id: string;
  interviewee_id: string;
  driver_id: string;
  kind: string;
  location: string | null;
  start_at: Date;
  end_at: Date;
  amend_start_at: Date | null;
  amend_end_at: Date | null;
  amended_by: 'interviewer' | 'interviewee' | null;
  status: InterviewStatus;
  config: InterviewConfig;
  version: number;
  created_at: Date;
  updated_at: Date;
  interviewee_kind: string;
  interviewee_updated_at: Date;
  driver_image: string | null;
  driver_phone_number: string | null;
  driver_title: string;
  interviewer_contact_phone_number: string | null;
  interviewer_image: string | null;
  interviewer_title: string;
}

export type { InterviewFilter, Visibility } from './interview-view.sql';

@Injectable()
export class InterviewReadRepository {
  constructor(private readonly sql: Sql) {}

  async findOne(id: string, visibility: Visibility): Promise<InterviewView | null> {
    const { text, params } = findOneStatement(id, visibility);
    const rows = await this.sql.query<InterviewView>(text, params);
    return rows[0] ?? null;
  }

  async list(filter: InterviewFilter, visibility: Visibility): Promise<{ rows: InterviewView[]; total: number }> {
    const page = listStatement(filter, visibility);
    const rows = await this.sql.query<InterviewView & { total: number }>(page.text, page.params);
    if (rows.length > 0) return { rows, total: rows[0].total };
    const count = countStatement(filter, visibility);
    const [{ count: total }] = await this.sql.query<{ count: number }>(count.text, count.params);
    return { rows: [], total };
  }
}
