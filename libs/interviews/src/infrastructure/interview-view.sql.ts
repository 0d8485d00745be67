/** The SQL of the interview read model, as plain text and parameters. */
import type { InterviewFilter, Visibility } from '../application/ports/interview-read-model';

export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * One interview as the application's InterviewView names it: the interview, its interviewer,
 * interviewee and driver, each column aliased to the view's field so rows need no copying.
 */
export const VIEW_COLUMNS = `
  i.id::text AS "id", i.interviewer_id::text AS "interviewerId", i.interviewee_id::text AS "intervieweeId",
  e.driver_id::text AS "driverId", i.kind AS "kind", i.location AS "location",
  i.start_at AS "startAt", i.end_at AS "endAt", i.amend_start_at AS "amendStartAt", i.amend_end_at AS "amendEndAt",
  i.amended_by AS "amendedBy", i.status AS "status", i.config AS "config", i.version AS "version",
  i.created_at AS "createdAt", i.updated_at AS "updatedAt",
  e.kind AS "intervieweeKind", e.updated_at AS "intervieweeUpdatedAt",
  d.image AS "driverImage", d.phone_number AS "driverPhoneNumber", d.title AS "driverTitle",
  r.contact_phone_number AS "interviewerContactPhoneNumber", r.image AS "interviewerImage",
  r.title AS "interviewerTitle"`;

const VIEW_JOINS = `
  JOIN interviewees e ON e.id = i.interviewee_id
  JOIN users d ON d.id = e.driver_id
  JOIN users r ON r.id = i.interviewer_id`;

export function findOneStatement(id: string, visibility: Visibility): Statement {
  const text = `SELECT ${VIEW_COLUMNS} FROM interviews i ${VIEW_JOINS} WHERE i.id = $1`;
  return visibility.all
    ? { text, params: [id] }
    : { text: `${text} AND (i.interviewer_id = $2 OR e.driver_id = $2)`, params: [id, visibility.userId] };
}

/**
 * A page of interviews by start_at, with the total of all that match, in one statement. The
 * matching interviews are found from the indexes alone — an interviewer's through
 * (interviewer_id, start_at, id), a driver's through their interviewees and
 * (interviewee_id, start_at, id), as two branches of a UNION ALL rather than an OR across two
 * tables (which PostgreSQL can only answer with a scan of the whole table) — and only the page's
 * rows are joined to their people. A page past the end has no row to carry `total`: see countStatement.
 */
export function listStatement(filter: InterviewFilter, visibility: Visibility): Statement {
  const { where, params } = conditions(filter);
  const param = (value: unknown) => `$${params.push(value)}`;
  const and = where.length ? ` AND ${where.join(' AND ')}` : '';
  let matching: string;
  if (visibility.all) {
    matching = `SELECT i.id, i.start_at FROM interviews i WHERE TRUE${and}`;
  } else {
    const me = param(visibility.userId);
    matching = `SELECT i.id, i.start_at FROM interviews i WHERE i.interviewer_id = ${me}${and}
      UNION ALL
      SELECT i.id, i.start_at FROM interviewees mine JOIN interviews i ON i.interviewee_id = mine.id
       WHERE mine.driver_id = ${me} AND i.interviewer_id <> ${me}${and}`;
  }
  const limit = param(filter.perPage);
  const offset = param((filter.page - 1) * filter.perPage);
  const text = `
    WITH matching AS (${matching}),
         page AS (SELECT id FROM matching ORDER BY start_at, id LIMIT ${limit} OFFSET ${offset})
    SELECT ${VIEW_COLUMNS}, (SELECT count(*) FROM matching)::int AS total
      FROM page JOIN interviews i ON i.id = page.id ${VIEW_JOINS}
     ORDER BY i.start_at, i.id`;
  return { text, params };
}

/** How many interviews match, for a page past the end (listStatement then returns no row to carry it). */
export function countStatement(filter: InterviewFilter, visibility: Visibility): Statement {
  const { where, params } = conditions(filter);
  if (!visibility.all) {
    where.push(`(i.interviewer_id = $${params.length + 1} OR i.interviewee_id IN (SELECT id FROM interviewees WHERE driver_id = $${params.length + 1}))`);
    params.push(visibility.userId);
  }
  return { text: `SELECT count(*)::int AS count FROM interviews i ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params };
}

function conditions(filter: InterviewFilter): { where: string[]; params: unknown[] } {
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.driverId) where.push(`i.interviewee_id IN (SELECT id FROM interviewees WHERE driver_id = ${param(filter.driverId)})`);
  if (filter.status) where.push(`i.status = ${param(filter.status)}`);
  if (filter.from) where.push(`i.start_at >= ${param(filter.from)}`);
  if (filter.to) where.push(`i.start_at < ${param(filter.to)}`);
  if (filter.keyword) {
    const pattern = `%${filter.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`i.config->>'interview_name' ILIKE ${param(pattern)}`);
  }
  return { where, params };
}
