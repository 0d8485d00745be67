/**
 * The layer rules of docs/ARCHITECTURE.md, enforced in `npm run lint` (part of `npm test`).
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'A domain layer imports no ORM, validation, HTTP or Swagger, and no other layer.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: {
        pathNot: ['^libs/[^/]+/src/domain/', '^libs/platform/src/errors/', 'node_modules/@nestjs/cqrs', '^node_modules/reflect-metadata'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-no-framework-types',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/' },
      to: { path: 'node_modules/(typeorm|class-validator|class-transformer|@nestjs/(swagger|typeorm|common|core|platform-fastify)|fastify|pg)/' },
    },
    {
      name: 'application-not-http',
      comment: 'Use cases do not know about HTTP: no controllers, DTOs, Fastify or Swagger.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/application/' },
      to: { path: ['^libs/[^/]+/src/interface/', 'node_modules/(fastify|@nestjs/swagger|@nestjs/platform-fastify)/'] },
    },
    {
      name: 'libs-through-their-index',
      comment: 'A lib reaches another lib only through its public index (the #lib imports).',
      severity: 'error',
      // Jest's global setup runs outside the module mapper, so it reaches the embedded server directly.
      from: { path: '^libs/([^/]+)/', pathNot: '^libs/testing/src/test-database\\.ts$' },
      to: {
        path: '^libs/([^/]+)/src/',
        pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$', '^libs/platform/src/errors/domain-error\\.ts$'],
      },
    },
    {
      name: 'apps-through-lib-index',
      comment: 'Composition roots wire libs through their public index too.',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/[^/]+/src/index\\.ts$', '^libs/platform/src/errors/domain-error\\.ts$'] },
    },
    {
      name: 'libs-not-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'require', 'default'], extensions: ['.ts', '.js', '.json'] },
    exclude: { path: ['\\.spec\\.ts$', 'node_modules'] },
  },
};
