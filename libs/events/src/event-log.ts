import { Injectable } from '@nestjs/common';
import { Sql } from '#platform';

/** An event as subscribers see it (API.md, "Domain events"): the feed, webhooks and the broker alike. */
export interface EventJson {
  id: number;
  type: string;
  interview_id: number;
  occurred_at: string;
  actor: { type: 'user' | 'api_key'; id: number; role?: string };
  data: Record<string, unknown>;
}

interface EventRow {
  id: string;
  type: string;
  interview_id: string;
  occurred_at: Date;
  actor: EventJson['actor'];
  data: Record<string, unknown>;
}

const COLUMNS = 'id, type, interview_id, occurred_at, actor, data';

export function presentEvent(row: EventRow): EventJson {
  const { type, id, role } = row.actor;
  return {
    id: Number(row.id),
    type: row.type,
    interview_id: Number(row.interview_id),
    occurred_at: row.occurred_at.toISOString(),
    actor: role ? { type, id, role } : { type, id },
    data: row.data,
  };
}

/**
 * The event log (`interview_events`): the audit history and the outbox at once. Ids are handed
 * out in commit order (see the interview repository), so "after id N" never skips an event.
 */
@Injectable()
export class EventLog {
  constructor(private readonly sql: Sql) {}

  async after(id: string, limit: number): Promise<EventJson[]> {
    const rows = await this.sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM interview_events WHERE id > $1 ORDER BY id LIMIT $2`,
      [id, limit],
    );
    return rows.map(presentEvent);
  }

  async forInterview(interviewId: string): Promise<EventJson[]> {
    const rows = await this.sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM interview_events WHERE interview_id = $1 ORDER BY id`,
      [interviewId],
    );
    return rows.map(presentEvent);
  }

  async byIds(ids: string[]): Promise<Map<string, EventJson>> {
    const rows = await this.sql.query<EventRow>(`SELECT ${COLUMNS} FROM interview_events WHERE id = ANY($1::bigint[])`, [ids]);
    return new Map(rows.map((row) => [String(row.id), presentEvent(row)]));
  }
}
