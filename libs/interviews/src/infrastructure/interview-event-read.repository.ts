import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** An event as subscribers see it (API.md, "Domain events"). */
export interface InterviewEventView {
  id: number;
  type: string;
  interview_id: number;
  occurred_at: string;
  actor: { type: 'user' | 'api_key'; id: number; role?: string };
  data: Record<string, unknown>;
}

@Injectable()
export class InterviewEventReadRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forInterview(interviewId: string): Promise<InterviewEventView[]> {
    const rows: { id: string; type: string; interview_id: string; occurred_at: Date; actor: InterviewEventView['actor']; data: Record<string, unknown> }[] =
      await this.dataSource.query(
        `SELECT id, type, interview_id, occurred_at, actor, data FROM interview_events WHERE interview_id = $1 ORDER BY id`,
        [interviewId],
      );
    return rows.map((row) => ({
      id: Number(row.id),
      type: row.type,
      interview_id: Number(row.interview_id),
      occurred_at: row.occurred_at.toISOString(),
      actor: { type: row.actor.type, id: row.actor.id, ...(row.actor.role ? { role: row.actor.role } : {}) },
      data: row.data,
    }));
  }
}
