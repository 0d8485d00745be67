import { Injectable } from '@nestjs/common';
import { Sql } from '#platform';
import type { InterviewConfig, InterviewStatus } from '../domain';

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

/** Whose interviews a reader may see: all (admin), or those they take part in. */
export type Visibility = { all: true } | { all: false; userId: string };

export interface InterviewFilter {
  status?: InterviewStatus;
  from?: Date;
  to?: Date;
  /** Restricts to the interviews where this user is the driver (the driver-side routes). */
  driverId?: string;
  /** Case-insensitive substring of the AI interview's name. */
  keyword?: string;
  page: number;
  perPage: number;
}

const SELECT = `
  SELECT i.id::text, i.interviewer_id::text, i.interviewee_id::text, e.driver_id::text, i.kind, i.location,
         i.start_at, i.end_at, i.amend_start_at, i.amend_end_at, i.amended_by, i.status, i.config, i.version,
         i.created_at, i.updated_at,
         e.kind AS interviewee_kind, e.updated_at AS interviewee_updated_at,
         d.image AS driver_image, d.phone_number AS driver_phone_number, d.title AS driver_title,
         r.contact_phone_number AS interviewer_contact_phone_number, r.image AS interviewer_image,
         r.title AS interviewer_title
    FROM interviews i
    JOIN interviewees e ON e.id = i.interviewee_id
    JOIN users d ON d.id = e.driver_id
    JOIN users r ON r.id = i.interviewer_id`;

@Injectable()
export class InterviewReadRepository {
  constructor(private readonly sql: Sql) {}

  async findOne(id: string, visibility: Visibility): Promise<InterviewView | null> {
    const params: unknown[] = [id];
    let sql = `${SELECT} WHERE i.id = $1`;
    if (!visibility.all) {
      params.push(visibility.userId);
      sql += ` AND (i.interviewer_id = $2 OR e.driver_id = $2)`;
    }
    const rows = await this.sql.query<InterviewView>(sql, params);
    return rows[0] ?? null;
  }

  async list(filter: InterviewFilter, visibility: Visibility): Promise<{ rows: InterviewView[]; total: number }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (!visibility.all) {
      // Two index-friendly branches instead of an OR across two tables.
      const me = param(visibility.userId);
      where.push(`(i.interviewer_id = ${me} OR i.interviewee_id IN (SELECT id FROM interviewees WHERE driver_id = ${me}))`);
    }
    if (filter.driverId) where.push(`i.interviewee_id IN (SELECT id FROM interviewees WHERE driver_id = ${param(filter.driverId)})`);
    if (filter.status) where.push(`i.status = ${param(filter.status)}`);
    if (filter.from) where.push(`i.start_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`i.start_at < ${param(filter.to)}`);
    if (filter.keyword) {
      const pattern = `%${filter.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`i.config->>'interview_name' ILIKE ${param(pattern)}`);
    }
    const condition = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const limit = param(filter.perPage);
    const offset = param((filter.page - 1) * filter.perPage);
    const rows = await this.sql.query<InterviewView & { total: string }>(
      `SELECT page.*, count(*) OVER () AS total FROM (${SELECT} ${condition}) page
        ORDER BY page.start_at, page.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    if (rows.length > 0) return { rows, total: Number(rows[0].total) };
    const [{ count }] = await this.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM interviews i ${condition}`,
      params.slice(0, -2),
    );
    return { rows: [], total: count };
  }
}
