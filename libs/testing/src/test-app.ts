import { randomUUID } from 'node:crypto';
import { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Clock, configureHttp, createFastifyAdapter } from '#platform';

/** A clock the test moves by hand; starts at the real time unless told otherwise. */
export class TestClock extends Clock {
  private at: Date | null;
  constructor(at?: Date | string) {
    super();
    this.at = at ? new Date(at) : null;
  }
  now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
  set(at: Date | string | null): void {
    this.at = at ? new Date(at) : null;
  }
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A raw payload sent as is (for broken JSON, huge bodies). */
  raw?: string;
}

/**
 * The whole app on the run's database, driven through Fastify's inject (the full HTTP stack
 * without a socket), with helpers that seed through the API as a caller would.
 */
export class TestApp {
  readonly clock: TestClock;
  private adminToken?: string;

  private constructor(
    readonly app: NestFastifyApplication,
    clock: TestClock,
  ) {
    this.clock = clock;
  }

  static async start(rootModule: Type<unknown>, options: { clock?: TestClock } = {}): Promise<TestApp> {
    const clock = options.clock ?? new TestClock();
    const moduleRef = await Test.createTestingModule({ imports: [rootModule] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), {
      logger: process.env.TEST_LOGS ? ['log', 'warn', 'error'] : false,
    });
    await configureHttp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, clock);
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  async request(method: string, url: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await this.app.inject({ method: method as 'GET', url, headers, payload });
    let body: unknown = undefined;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, headers: res.headers as Response['headers'], body, text: res.body };
  }

  get = (url: string, options?: RequestOptions) => this.request('GET', url, options);
  post = (url: string, options?: RequestOptions) => this.request('POST', url, options);
  put = (url: string, options?: RequestOptions) => this.request('PUT', url, options);
  delete = (url: string, options?: RequestOptions) => this.request('DELETE', url, options);

  async signIn(email: string, password: string): Promise<string> {
    const res = await this.post('/api/v1/auth/sign_in', { body: { user: { email, password } } });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${res.text}`);
    return res.body.token;
  }

  async admin(): Promise<string> {
    this.adminToken ??= await this.signIn(process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
    return this.adminToken;
  }

  /** A new user through the admin API, signed in. */
  async user(role: 'interviewer' | 'driver' | 'admin', fields: Record<string, unknown> = {}): Promise<{ id: number; token: string; email: string }> {
    const email = `${role}-${randomUUID()}@test.example`;
    const password = 'a-test-password';
    const res = await this.post('/api/v1/admin/users', {
      token: await this.admin(),
      body: { user: { email, password, role, title: `${role} ${email.slice(role.length + 1, role.length + 9)}`, ...fields } },
    });
    if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${res.text}`);
    return { id: res.body.user.id, email, token: await this.signIn(email, password) };
  }

  /** A driver enrolled as an interviewee. */
  async interviewee(kind = 'verified', fields: Record<string, unknown> = {}): Promise<{ id: number; driver: { id: number; token: string } }> {
    const driver = await this.user('driver', fields);
    const res = await this.post('/api/v1/admin/interviewees', {
      token: await this.admin(),
      body: { interviewee: { driver_id: driver.id, kind } },
    });
    if (res.status !== 201) throw new Error(`interviewee creation failed: ${res.status} ${res.text}`);
    return { id: res.body.interviewee.id, driver };
  }

  /** An interviewer, a driver and a pending interview between them, starting `inHours` from the clock. */
  async scenario(options: { inHours?: number; minutes?: number } = {}) {
    const interviewer = await this.user('interviewer');
    const interviewee = await this.interviewee();
    const start = new Date(this.clock.now().getTime() + (options.inHours ?? 24) * 3600_000);
    const end = new Date(start.getTime() + (options.minutes ?? 30) * 60_000);
    const res = await this.post('/api/v1/interviews', {
      token: interviewer.token,
      body: { interview: { interviewee_id: interviewee.id, start_at: start.toISOString(), end_at: end.toISOString(), kind: 'video_call', location: 'London' } },
    });
    if (res.status !== 201) throw new Error(`interview creation failed: ${res.status} ${res.text}`);
    return { interviewer, interviewee, driver: interviewee.driver, interview: res.body.interview, start, end };
  }

  /** Row counts and a checksum of the tables a request could change: "nothing changed" made testable. */
  async snapshot(): Promise<string> {
    const [row] = await this.dataSource.query(`
      SELECT md5(string_agg(t, '|')) AS sum FROM (
        SELECT 'users:' || coalesce(md5(string_agg(u::text, ',' ORDER BY id)), '') AS t FROM users u
        UNION ALL SELECT 'interviewees:' || coalesce(md5(string_agg(e::text, ',' ORDER BY id)), '') FROM interviewees e
        UNION ALL SELECT 'interviews:' || coalesce(md5(string_agg(i::text, ',' ORDER BY id)), '') FROM interviews i
        UNION ALL SELECT 'events:' || coalesce(md5(string_agg(v::text, ',' ORDER BY id)), '') FROM interview_events v
        UNION ALL SELECT 'revoked:' || coalesce(md5(string_agg(r::text, ',' ORDER BY jti)), '') FROM revoked_tokens r
      ) parts`);
    return row.sum;
  }
}
