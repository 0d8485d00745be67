import { TestApp } from '#testing';
import { AppModule } from '../../../../apps/api/src/app.module';

/**
 * The entities and the migrated schema agree: on a database the migrations built, TypeORM's schema
 * builder (what `synchronize` would run) finds nothing to change for any entity of the app.
 */
describe('entities and migrations', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start(AppModule)));
  afterAll(() => t.close());

  it('leaves TypeORM nothing to change on the migrated schema', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('maps the interview write path through its entities', () => {
    const tables = t.dataSource.entityMetadatas.map((m) => m.tableName);
    expect(tables).toEqual(expect.arrayContaining(['interviews', 'interviewees', 'interview_events']));
  });
});
