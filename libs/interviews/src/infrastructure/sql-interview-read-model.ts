import { Injectable } from '@nestjs/common';
import { Sql } from '#platform';
import { type InterviewFilter, type InterviewPage, InterviewReadModel, type InterviewView, type Visibility } from '../application/ports/interview-read-model';
import { countStatement, findOneStatement, listStatement } from './interview-view.sql';

/**
 * The read model as tuned SQL (the query side of CQRS): one joined statement per read, its
 * columns aliased to InterviewView's fields. The write side goes through the TypeORM entities.
 */
@Injectable()
export class SqlInterviewReadModel extends InterviewReadModel {
  constructor(private readonly sql: Sql) {
    super();
  }

  async findOne(id: string, visibility: Visibility): Promise<InterviewView | null> {
    const { text, params } = findOneStatement(id, visibility);
    const rows = await this.sql.query<InterviewView>(text, params);
    return rows[0] ?? null;
  }

  async list(filter: InterviewFilter, visibility: Visibility): Promise<InterviewPage> {
    const page = listStatement(filter, visibility);
    const rows = await this.sql.query<InterviewView & { total: number }>(page.text, page.params);
    if (rows.length > 0) return { rows, total: rows[0].total };
    const count = countStatement(filter, visibility);
    const [{ count: total }] = await this.sql.query<{ count: number }>(count.text, count.params);
    return { rows: [], total };
  }
}
