// Runs a TypeScript benchmark from source: .ts compiled on load by the installed @swc/core, with the
// same settings as the tests (no build step, dist/ untouched). Usage: node bench/run-ts.cjs FILE.ts
const swc = require('@swc/core');
const options = {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
require.extensions['.ts'] = (module, filename) => module._compile(swc.transformFileSync(filename, options).code, filename);
require(require('node:path').resolve(process.argv[2]));
