import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `interviews.config` loses its column default: every insert writes the whole configuration (the
 * domain's DEFAULT_CONFIG merged with the request), so the default was a second copy of that rule
 * which nothing used, and one the entity (InterviewRecord) would have had to repeat.
 */
export class ConfigDefault1764500100000 implements MigrationInterface {
  name = 'ConfigDefault1764500100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE interviews ALTER COLUMN config DROP DEFAULT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE interviews ALTER COLUMN config SET DEFAULT '{"interview_name": null, "skills": [], "custom_question_list": [],
      "interview_language": "en", "can_change_interview_language": false, "only_coding_round": false,
      "is_coding_round_required": false, "selected_coding_language": null,
      "coding_exercise_details": null, "is_proctoring_required": true}'::jsonb`);
  }
}
