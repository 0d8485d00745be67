import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** The OpenAPI document is the admin console and the callers' reference: every route documented. */
describe('GET /docs-json', () => {
  let t: TestApp;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown>; security?: unknown[] }>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    const res = await t.get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })),
    );

  it('is OpenAPI 3 with both security schemes', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      apiKey: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    });
    expect(operations().length).toBeGreaterThan(40);
  });

  it('gives every route a summary, a documented success answer and its error answers', () => {
    const problems: string[] = [];
    for (const { route, path, op } of operations()) {
      const codes = Object.keys(op.responses ?? {});
      if (!op.summary) problems.push(`${route}: no summary`);
      if (!codes.some((c) => /^2\d\d$/.test(c))) problems.push(`${route}: no success response`);
      const isPublic = path.startsWith('/health') || path === '/metrics' || path === '/api/v1/auth/sign_in';
      if (!isPublic && !codes.includes('401')) problems.push(`${route}: 401 not documented`);
      if (path.includes('{') && !codes.includes('400')) problems.push(`${route}: 400 (bad id) not documented`);
      if (path.includes('{') && !codes.includes('404')) problems.push(`${route}: 404 not documented`);
      if (['POST', 'PUT', 'PATCH'].some((m) => route.startsWith(m)) && !codes.includes('400')) problems.push(`${route}: 400 not documented`);
    }
    expect(problems).toEqual([]);
  });

  it('documents the seed examples: the amend body and micro1 update body', () => {
    const amend = JSON.stringify(doc.paths['/api/v1/interviews/{id}/amend']);
    expect(amend).toContain('2025-01-22T13:42:54Z');
    const update = JSON.stringify(doc.paths['/interview/{interviewId}'].put);
    expect(update).toContain('Full Stack Engineer Interview');
    expect(update).toContain('Interview updated successfully');
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after changing a route)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8'));
    expect(doc).toEqual(committed);
  });
});
