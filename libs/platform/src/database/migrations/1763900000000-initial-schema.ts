import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, interviewees, interviews with their double-booking guard, the event log, revoked tokens. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await db.query(`
      CREATE TABLE users (
        id bigserial PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('interviewer', 'driver', 'admin')),
        title text NOT NULL,
        phone_number text,
        contact_phone_number text,
        image text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await db.query(`
      CREATE TABLE interviewees (
        id bigserial PRIMARY KEY,
        driver_id bigint NOT NULL REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('interview', 'verified', 'rejected')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX interviewees_driver_id_idx ON interviewees (driver_id)`);

    await db.query(`
      CREATE TABLE interviews (
        id bigserial PRIMARY KEY,
        interviewer_id bigint NOT NULL REFERENCES users (id),
        interviewee_id bigint NOT NULL REFERENCES interviewees (id),
        kind text NOT NULL CHECK (kind IN ('video_call', 'in_person')),
        location text,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        amend_start_at timestamptz,
        amend_end_at timestamptz,
        amended_by text CHECK (amended_by IN ('interviewer', 'interviewee')),
        status text NOT NULL CHECK (status IN
          ('pending', 'scheduled', 'amended', 'rejected', 'cancelled', 'completed', 'no_show')),
        status_before_amendment text CHECK (status_before_amendment IN ('pending', 'scheduled')),
        cancel_reason text,
        config jsonb NOT NULL DEFAULT '{"interview_name": null, "skills": [], "custom_question_list": [],
          "interview_language": "en", "can_change_interview_language": false, "only_coding_round": false,
          "is_coding_round_required": false, "selected_coding_language": null,
          "coding_exercise_details": null, "is_proctoring_required": true}'::jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT interviews_times_check CHECK (start_at < end_at),
        CONSTRAINT interviews_proposal_check CHECK ((amend_start_at IS NULL) = (amend_end_at IS NULL)),
        CONSTRAINT interviews_interviewer_no_overlap EXCLUDE USING gist (
          interviewer_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&
        ) WHERE (status IN ('pending', 'scheduled', 'amended'))
      )`);
    await db.query(`CREATE INDEX interviews_interviewer_start_idx ON interviews (interviewer_id, start_at, id)`);
    await db.query(`CREATE INDEX interviews_interviewee_start_idx ON interviews (interviewee_id, start_at, id)`);
    await db.query(`CREATE INDEX interviews_start_idx ON interviews (start_at, id)`);

    await db.query(`
      CREATE TABLE interview_events (
        id bigserial PRIMARY KEY,
        interview_id bigint NOT NULL REFERENCES interviews (id),
        type text NOT NULL,
        actor jsonb NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX interview_events_interview_idx ON interview_events (interview_id, id)`);

    await db.query(`
      CREATE TABLE revoked_tokens (
        jti uuid PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE revoked_tokens`);
    await db.query(`DROP TABLE interview_events`);
    await db.query(`DROP TABLE interviews`);
    await db.query(`DROP TABLE interviewees`);
    await db.query(`DROP TABLE users`);
  }
}
