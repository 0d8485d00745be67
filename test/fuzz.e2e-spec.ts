import * as fc from 'fast-check';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Response, TestApp as TestAppType } from '#testing';

/**
 * Property-based fuzzing of every route and method the live /docs-json declares (issue: "Property-based
 * fuzzing with fast-check"). Four properties, each bearing down on one kind of input while the others
 * stay mostly sane, so that a failure points at its cause:
 *
 *   arbitrary-json       any JSON value as the body (fc.jsonValue), now and then under another media type;
 *   shaped-bodies        bodies generated from the route's request schema in /docs-json, left as they are
 *                        (and so sometimes accepted), one string made poisonous (NUL, lone surrogate, …),
 *                        or one field dropped, nulled, retyped, wrapped, nested deep or added (mass assignment);
 *   ids-queries-headers  path ids (real ones, 0, negatives, past 2^63, floats, hex, unicode digits, %00,
 *                        broken percent-encodings, longer than the router takes), arbitrary query strings,
 *                        and If-Match, Idempotency-Key, x-request-id, Accept, Origin and made-up headers;
 *   raw-payloads         broken JSON, duplicate and __proto__ keys, deep nesting, bodies over 100 kB, other
 *                        media types.
 *
 * Each request goes as the fuzzer's admin, interviewer or driver (Bearer), with its API key, with a
 * forged credential (alg none, another algorithm, tampered claims or signature, a key as a token, …) or
 * with none. For every request:
 *
 *   1. the status is below 500 (any 5xx fails: the database is up for the whole run), and a 2xx on a
 *      protected route came with a credential that route accepts (never forged or none, never a
 *      non-admin on /api/v1/admin, never an API key on a user route or a token on an API-key route);
 *   2. the body holds no stack trace, no SQL or PostgreSQL error text, no `undefined`;
 *   3. the answer carries x-request-id and the security headers of API.md;
 *   4. a mutating request (POST, PUT, PATCH, DELETE) that is not 2xx — or is an idempotent replay —
 *      leaves the database byte for byte the same: `t.snapshot()` (users, interviewees, interviews,
 *      events, revoked tokens) plus a checksum of api_keys, webhooks and webhook_deliveries, taken before
 *      and after every such request (no sampling). idempotency_keys is left out: storing a refused
 *      answer against its key is what API.md asks for. Reads are not snapshotted, to keep the run short.
 *      A webhook that was accepted never names a private, loopback or link-local address (SSRF);
 *   5. the body validates (ajv, ajv-formats) against the schema /docs-json declares for that route and
 *      status. Mismatches are collected over the whole run, so that one does not hide the others, and
 *      fail their own test at the end with a request that showed each; statuses a route does not declare
 *      are counted and printed (documentation gaps), not failed.
 *
 * 1–4 fail the property at once through `fc.assert`, which prints the seed, the path and the (shrunk)
 * counterexample; the error names the property and the run. The seed is FUZZ_SEED, else the fixed default
 * below, printed at the start. Replay the whole run: `FUZZ_SEED=<seed> npx jest test/fuzz.e2e-spec.ts`;
 * one property: add `FUZZ_PROPERTY=<name>`, and `FUZZ_PATH=<path>` to jump to the failing run (a path
 * does not replay the state earlier runs left behind, the whole run does). `FUZZ_SCALE=<n>` multiplies
 * the number of runs (default 2,400 requests, about a minute and a half on two cores).
 *
 * The app under fuzz runs with the rate limits raised (the fuzzer should reach the handlers, not 429;
 * limits have their own test, rate-limits.e2e-spec.ts), with private webhook targets refused as in
 * production (WEBHOOK_ALLOW_PRIVATE=false, so the SSRF guard is fuzzed too), and with no event relay.
 */

const DEFAULT_SEED = 20250122;
const SEED = process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== '' ? Number(process.env.FUZZ_SEED) : DEFAULT_SEED;
if (!Number.isInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);
const ONLY = process.env.FUZZ_PROPERTY;
const REPLAY_PATH = process.env.FUZZ_PATH;

/** Runs per property; their sum is the number of generated requests (≥ 2,000). */
const RUNS = {
  'arbitrary-json': Math.round(700 * SCALE),
  'shaped-bodies': Math.round(900 * SCALE),
  'ids-queries-headers': Math.round(500 * SCALE),
  'raw-payloads': Math.round(300 * SCALE),
};
type PropertyName = keyof typeof RUNS;
const MIN_REQUESTS = 2000;
/** Requests fast-check may re-send while shrinking one failure. */
const SHRINK_BUDGET = 150;

// The environment the app under fuzz reads at import time (ConfigModule validates it then); restored
// right after, so nothing leaks to other test files run in the same process.
const OVERRIDES: Record<string, string> = {
  THROTTLE_LIMIT: '1000000',
  THROTTLE_SIGN_IN_LIMIT: '1000000',
  WEBHOOK_ALLOW_PRIVATE: 'false',
  RELAY: 'off',
};
const savedEnv = Object.fromEntries(Object.keys(OVERRIDES).map((k) => [k, process.env[k]]));
Object.assign(process.env, OVERRIDES);
/* eslint-disable @typescript-eslint/no-require-imports */
const { TestApp } = require('#testing') as typeof import('#testing');
const { AppModule } = require('../apps/api/src/app.module') as typeof import('../apps/api/src/app.module');
/* eslint-enable @typescript-eslint/no-require-imports */
for (const [k, v] of Object.entries(savedEnv)) {
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

// ---------------------------------------------------------------------------------------------------
// What a body must never contain
// ---------------------------------------------------------------------------------------------------

const LEAKS: [string, RegExp][] = [
  ['stack trace', /\n? {4}at /],
  ['stack trace (.ts:)', /\.ts:\d*/],
  ['stack trace (node_modules)', /node_modules/],
  ['SQL (SELECT)', /SELECT /],
  ['SQL (INSERT)', /INSERT /],
  ['SQL (UPDATE)', /UPDATE /],
  ['SQL (DELETE FROM)', /DELETE FROM/],
  ['QueryFailedError', /QueryFailedError/],
  ['SQL syntax error', /syntax error/],
  ['PostgreSQL error text', /violates (unique|foreign key|check|exclusion) constraint|invalid input syntax for|out of range for type|relation "|column "/],
  ['JavaScript error text', /TypeError|ReferenceError|Cannot read propert/],
  // `undefined` printed where a value should be; class-validator's own "should not be null or undefined" is wording, not a leak.
  ['undefined', /(?<!null or )undefined/],
];
/** Leak patterns ever sent by the fuzzer: a 2xx body may then echo stored data, which is not a leak. */
const everSent = new Set<string>();

/** Security headers every answer carries (API.md, "Conventions"). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-frame-options': 'SAMEORIGIN',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// ---------------------------------------------------------------------------------------------------
// The document: routes and response validators
// ---------------------------------------------------------------------------------------------------

/* eslint-disable @typescript-eslint/no-explicit-any */
type Schema = any;
type OpenApi = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

interface Route {
  key: string; // "POST /api/v1/interviews/{id}/amend"
  method: string;
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: Schema }[];
  requestSchema?: Schema;
  security: string[]; // 'bearer', 'apiKey'; empty: public
  responses: Record<string, { contentType?: string; schema?: Schema }>;
}

/** OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a null type, refs point into the doc. */
function toJsonSchema(node: Schema): Schema {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = v.startsWith('#') ? `openapi.json${v}` : v;
    else if (k === 'example' || k === 'examples' || k === 'nullable') continue;
    else out[k] = toJsonSchema(v);
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

function routesOf(doc: OpenApi): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params: Schema[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const responses: Route['responses'] = {};
      for (const [status, answer] of Object.entries<Schema>(op.responses ?? {})) {
        const content = answer.content ?? {};
        const contentType = Object.keys(content)[0];
        responses[status] = { contentType, schema: contentType ? content[contentType].schema : undefined };
      }
      const security: string[] = (op.security ?? doc.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s));
      routes.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        requestSchema: op.requestBody?.content?.['application/json']?.schema,
        security,
        responses,
      });
    }
  }
  return routes;
}

class ResponseValidators {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(doc: OpenApi) {
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi.json', components: toJsonSchema(doc.components ?? {}) });
  }

  /** The validator for a route and status, `null` when none is declared (a documentation gap, or no body). */
  forStatus(route: Route, status: number): { validate: ValidateFunction | null; declared: boolean; contentType?: string } {
    const declared = route.responses[String(status)] ?? route.responses[`${String(status)[0]}XX`] ?? route.responses.default;
    const id = `${route.key} ${status}`;
    if (!declared) return { validate: null, declared: false };
    if (!this.compiled.has(id)) {
      this.compiled.set(id, declared.schema && /json/.test(declared.contentType ?? '') ? this.ajv.compile(toJsonSchema(declared.schema)) : null);
    }
    return { validate: this.compiled.get(id)!, declared: true, contentType: declared.contentType };
  }
}

// ---------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------

type AuthKind = 'admin' | 'interviewer' | 'driver' | 'apiKey' | 'none' | 'forged';

interface FuzzRequest {
  route: string;
  method: string;
  url: string;
  auth: AuthKind;
  forged?: { header: string; value: string };
  headers: Record<string, string>;
  body?: unknown;
  raw?: string;
  /** undefined: application/json when there is a payload; null: no content-type at all. */
  contentType?: string | null;
}

/** Strings chosen to hurt: SQL and template injection, NUL, bidi and zero-width, lone surrogates, huge. */
const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '%00', '\\u0000', "' OR '1'='1", "1; DROP TABLE users --", "' union all select null, version() --",
  '"', "'", '\\', '%', '_', '%_%', '${7*7}', '{{7*7}}', '#{7*7}', '<script>alert(1)</script>', '../../../../etc/passwd',
  'Ω≈ç√∫˜µ≤≥÷', '😀👩‍👩‍👧', '\ud800', '\udfff', '\u202e', '\u200b', '\ufeff', '\r\n', '\t',
  'x'.repeat(201), 'x'.repeat(1001), 'x'.repeat(2001), 'ä'.repeat(5000), 'y'.repeat(60_000),
  '1e309', 'NaN', 'Infinity', '-0', 'null', 'true', '[]', '{}', '0x10', '   7', '07', '1.0', '+1', '9223372036854775808',
  'admin', 'interviewer', 'driver', '*', 'en', 'python', 'interview.amended', 'https://93.184.216.34/hook', 'http://127.0.0.1/x',
  'jacob@example.com', 'a-test-password', '2030-01-22T13:22:54Z', '2025-01-22T13:12:54',
];
/** Strings that are valid to a validator but hard on what lies behind it (PostgreSQL text and jsonb, LIKE). */
const POISON = ['a\u0000b', '\u0000', '\ud800', 'a\udfffb', "' OR 1=1 --", '%_\\', '😀'.repeat(50), '\u202egnp.exe'];
const NASTY_NUMBERS = [0, -1, 1, 1.5, -0.5, 2, 4, 5, 100, 101, 2 ** 31, 2 ** 53 - 1, 2 ** 53 + 2, 2 ** 63, 1e308, -1e308, Number.MIN_VALUE, 4.0000001];

const WEBHOOK_URLS = [
  'https://93.184.216.34/hook', 'http://93.184.216.34:8080/x', 'http://127.0.0.1/hook', 'http://localhost:3000/x', 'http://[::1]/x',
  'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://192.168.1.1/', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/',
  'http://2130706433/', 'http://0x7f000001/', 'http://user:pass@93.184.216.34/', 'file:///etc/passwd', 'gopher://93.184.216.34/',
  'ftp://93.184.216.34/', 'javascript:alert(1)', 'not a url', '', '//93.184.216.34/x',
];

const PRIVATE_HOST = /^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|0\.|localhost$|\[(::1?|::ffff:.*|f[cd].*|fe[89ab].*)\]$)/i;

/** A string that never spells one of the leak patterns, so that an echo is never mistaken for a leak. */
function clean(s: string): string {
  let out = s;
  for (const [, pattern] of LEAKS) out = out.replace(new RegExp(pattern.source, 'g'), (m) => m.slice(0, -1) + '~');
  return out;
}

const anyString = fc.string({ unit: 'grapheme', maxLength: 40 }).map(clean);
const nastyString = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) }, { weight: 1, arbitrary: anyString });
const nastyNumber = fc.oneof(fc.constantFrom(...NASTY_NUMBERS), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
/** Any JSON value, keys included, as JSON.parse would give it. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(clean(JSON.stringify(v))));
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [1, 2], { a: 1 }) },
  { weight: 1, arbitrary: anyJson },
);

/** Timestamps: near the clock with every kind of zone, none, and impossible ones. */
function timestampArb(base: number): fc.Arbitrary<string> {
  const zoned = fc
    .tuple(fc.integer({ min: -72 * 60, max: 96 * 60 }), fc.constantFrom('Z', 'z', '+00:00', '+05:30', '-08:00', '+14:00', '-12:00', '+0100', '', '.5Z', '.123456789Z'))
    .map(([minutes, zone]) => {
      const at = new Date(Math.floor(base / 60_000) * 60_000 + minutes * 60_000);
      const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
      const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
      return zone.startsWith('.') ? local + zone : local + zone;
    });
  const odd = fc.constantFrom(
    '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59-14:00', '2025-02-30T00:00:00Z',
    '2025-13-01T00:00:00Z', '1970-01-01T00:00:00Z', '2030-01-01T24:00:00Z', '2030-01-01T00:00:60Z', '2030-01-01T00:00+99:99',
    '2030-01-01', 'now', '-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2030-01-01T00:00:00.000000000000001Z', '20300101T000000Z',
  );
  return fc.oneof({ weight: 4, arbitrary: zoned }, { weight: 1, arbitrary: odd });
}

/**
 * Ids and other path values: real ones, out of range, wrong type, and — when hostile — broken
 * percent-encodings, NUL, unicode digits and values longer than the router takes.
 */
function pathValueArb(pool: number[], hostile: boolean): fc.Arbitrary<string> {
  const valid = pool.length ? fc.constantFrom(...pool).map(String) : fc.constant('1');
  const numeric = fc.oneof(
    fc.constantFrom('0', '-1', '1.5', '9223372036854775807', '9223372036854775808', '18446744073709551616', '99999999999999999999999999', '1e3', '0x10', '%2B1', '%201', '01', '9007199254740993'),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    fc.integer({ min: 1, max: 100_000 }).map(String),
  );
  const weird = fc.constantFrom(
    '%00', 'a%00', '1%00', '%2F', '1%2F2', '%zz', '%', '%ED%A0%80', '%FF', '%E2%80%AE', '%C3%A9', '%D9%A1%D9%A2', '%EF%BC%99', 'NaN', 'Infinity',
    'null', 'true', '%20', 'abc', '1;2', "1'", '1%27%20OR%201%3D1', '9'.repeat(19), '9'.repeat(199), '9'.repeat(250), 'a'.repeat(3000),
  );
  const random = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => encode(clean(s)));
  if (!hostile) return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 2, arbitrary: numeric }, { weight: 1, arbitrary: random });
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 2, arbitrary: numeric }, { weight: 2, arbitrary: weird }, { weight: 1, arbitrary: random });
}

const queryKeyArb = fc.oneof(
  fc.constantFrom('status', 'from', 'to', 'page', 'per_page', 'limit', 'after', 'keyword', '__proto__', 'constructor', 'user[role]', 'a[]', 'a.b', ''),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(clean),
);

function queryArb(route: Route, base: number): fc.Arbitrary<string> {
  const ts = timestampArb(base);
  const declared = route.queryParams.map((p) => {
    const specific: fc.Arbitrary<unknown>[] = [nastyValue];
    if (p.schema.enum) specific.push(fc.constantFrom(...p.schema.enum));
    if (/^(from|to)$/.test(p.name)) specific.push(ts);
    if (p.schema.type === 'number' || p.schema.type === 'integer') specific.push(fc.integer({ min: -5, max: 200 }), fc.constantFrom('1', '25', '100', '0', '1.5', ' 2', '1e2', '9'.repeat(30)));
    return fc.tuple(fc.constant(p.name), fc.oneof(...specific));
  });
  const pair = fc.oneof(
    ...(declared.length ? [{ weight: 3, arbitrary: fc.oneof(...declared) }] : []),
    { weight: 1, arbitrary: fc.tuple(queryKeyArb, nastyValue) },
  );
  const encoded = fc.array(pair, { maxLength: 5 }).map((pairs) =>
    pairs.map(([k, v]) => `${encode(k)}=${encode(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&'),
  );
  const raw = fc.constantFrom('', '&&&', '=', '=x', 'a', 'a=1&a=2&a=3', 'page=1&page=2', 'status=pending&status=amended', '%', '%zz=1', 'a=%00', 'from=%00', 'keyword=%25', 'keyword=%5F', 'per_page=&page=', '__proto__[x]=1', 'constructor[prototype][x]=1');
  return fc.oneof({ weight: 4, arbitrary: encoded }, { weight: 1, arbitrary: raw });
}

const HEADER_NAME_BLOCKLIST = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'authorization', 'x-api-key', 'content-type']);
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }).map(clean);

function headersArb(): fc.Arbitrary<{ headers: Record<string, string> }> {
  return fc
    .record(
      {
        'if-match': fc.oneof(fc.constantFrom('"1"', '"2"', '"3"', '"99"', 'W/"1"', '*', '"1", "2"', '""', '"abc"', '1', '"99999999999999999999999"', '"-1"', '"1.5"', 'garbage', '"'.repeat(300)), headerValue),
        'idempotency-key': fc.oneof({ weight: 3, arbitrary: fc.constantFrom('k1', 'k2', 'k3', 'fuzz-key') }, { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(5000)) }, { weight: 1, arbitrary: headerValue }),
        'x-request-id': fc.oneof(fc.constantFrom('fuzz-1', 'a:b@c.d-e', 'x'.repeat(128), 'x'.repeat(129), '', '<script>', '../x', '%00'), headerValue),
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
        origin: fc.constantFrom('https://evil.example', 'null', 'https://ats.example.com', ''),
        'x-forwarded-for': fc.constantFrom('1.2.3.4', '127.0.0.1, 10.0.0.1', 'garbage'),
        extra: fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue),
      },
      { requiredKeys: [] },
    )
    .map(({ extra, ...named }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(named)) if (v !== undefined) headers[k] = v;
      if (extra && !HEADER_NAME_BLOCKLIST.has(extra[0])) headers[extra[0]] = extra[1];
      return { headers };
    });
}

/** The content type of a body: mostly left to the sender (application/json), else another, or none (null). */
function contentTypeArb(otherWeight: number): fc.Arbitrary<string | null | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    {
      weight: otherWeight,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json;;;',
        'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
        'application/octet-stream', 'garbage', '', null,
      ),
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------

describe('fuzz: every route of /docs-json under arbitrary input', () => {
  let t: TestAppType;
  let doc: OpenApi;
  let routes: Route[];
  let validators: ResponseValidators;
  const base = Date.now();

  /** The fuzzer's callers; tokens are refreshed when a fuzzed sign-out or key revocation succeeds. */
  const creds = {
    admin: { id: 0, email: '', token: '' },
    interviewer: { id: 0, email: '', token: '' },
    driver: { id: 0, email: '', token: '' },
    apiKey: { id: 0, key: '' },
  };
  const pools = {
    interviews: [] as number[],
    interviewees: [] as number[],
    users: [] as number[],
    drivers: [] as number[],
    apiKeys: [] as number[],
    webhooks: [] as number[],
    deliveries: [1, 2, 3],
    emails: [] as string[],
  };
  const forgedCredentials: { header: string; value: string }[] = [];

  // Counters for the report.
  const stats = {
    requests: 0,
    perProperty: {} as Record<string, number>,
    perRoute: new Map<string, number>(),
    statuses: new Map<number, number>(),
    validated: 0,
    noSchema: new Map<string, number>(), // "route status" → count (status not declared: documentation gap)
    noBody: 0, // declared status without a JSON schema (204 and the like)
    snapshots: 0,
    mutating2xx: 0,
    leakSkipped: 0,
    shrinkRequests: 0,
    rerouted: 0,
  };
  const mismatches = new Map<string, { count: number; example: string }>();
  let property: PropertyName = 'arbitrary-json';
  let runIndex = 0;

  const snapshot = async (): Promise<string> => {
    stats.snapshots++;
    const [core, [extra]] = await Promise.all([
      t.snapshot(),
      t.dataSource.query(`
        SELECT md5(string_agg(t, '|')) AS sum FROM (
          SELECT 'api_keys:' || coalesce(md5(string_agg(k::text, ',' ORDER BY id)), '') AS t FROM api_keys k
          UNION ALL SELECT 'webhooks:' || coalesce(md5(string_agg(w::text, ',' ORDER BY id)), '') FROM webhooks w
          UNION ALL SELECT 'deliveries:' || coalesce(md5(string_agg(d::text, ',' ORDER BY id)), '') FROM webhook_deliveries d
        ) parts`),
    ]);
    return `${core}/${extra.sum}`;
  };

  const describeRequest = (req: FuzzRequest): string => {
    const body = req.raw !== undefined ? `raw ${JSON.stringify(req.raw.length > 300 ? `${req.raw.slice(0, 300)}… (${req.raw.length} chars)` : req.raw)}` : `body ${truncate(JSON.stringify(req.body), 300)}`;
    return `${req.method} ${truncate(req.url, 300)} as ${req.auth}${req.forged ? ` (${req.forged.header}: ${truncate(req.forged.value, 60)})` : ''}, headers ${truncate(JSON.stringify(req.headers), 300)}, content-type ${JSON.stringify(req.contentType)}, ${body}`;
  };

  const failure = (req: FuzzRequest, res: { status: number; text: string } | null, problem: string): Error =>
    new Error(
      `[fuzz seed=${SEED} property=${property} run=${runIndex}] ${problem}\n` +
        `  request: ${describeRequest(req)}\n` +
        (res ? `  response: ${res.status} ${truncate(res.text, 600)}\n` : '') +
        `  replay: FUZZ_SEED=${SEED} npx jest test/fuzz.e2e-spec.ts — or only this property: FUZZ_SEED=${SEED} FUZZ_PROPERTY=${property} FUZZ_PATH=<the path fast-check prints>`,
    );

  async function send(req: FuzzRequest): Promise<Response> {
    const headers: Record<string, string> = { ...req.headers };
    if (req.auth === 'admin' || req.auth === 'interviewer' || req.auth === 'driver') headers.authorization = `Bearer ${creds[req.auth].token}`;
    if (req.auth === 'apiKey') headers['x-api-key'] = creds.apiKey.key;
    if (req.auth === 'forged' && req.forged) headers[req.forged.header] = req.forged.value;
    let payload: string | undefined = req.raw;
    if (payload === undefined && req.body !== undefined) payload = JSON.stringify(req.body);
    if (payload !== undefined && req.contentType === undefined) headers['content-type'] = 'application/json';
    if (typeof req.contentType === 'string') headers['content-type'] = req.contentType;
    const res = await t.app.inject({ method: req.method as 'GET', url: req.url, headers, payload });
    let body: unknown;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, headers: res.headers as Response['headers'], body, text: res.body };
  }

  /** One fuzzed request and every property it must keep. Throws (fails the property) on 1–4; collects 5. */
  async function check(req: FuzzRequest): Promise<void> {
    const route = routes.find((r) => r.key === req.route)!;
    stats.requests++;
    stats.perProperty[property] = (stats.perProperty[property] ?? 0) + 1;
    stats.perRoute.set(req.route, (stats.perRoute.get(req.route) ?? 0) + 1);
    const sentText = `${req.url}\n${JSON.stringify(req.headers)}\n${req.raw ?? JSON.stringify(req.body) ?? ''}\n${req.forged?.value ?? ''}`;
    for (const [name, pattern] of LEAKS) if (pattern.test(sentText)) everSent.add(name);

    const mutating = MUTATING.has(req.method);
    const before = mutating ? await snapshot() : undefined;
    const res = await send(req);
    stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
    const ok = res.status >= 200 && res.status < 300;

    // 1. No 5xx.
    if (res.status >= 500) throw failure(req, res, `status ${res.status}`);

    // 1b. Nobody gets through without the credential the route asks for: no forged or missing one, no
    // API key on a user route or token on an API-key route, no non-admin on an admin route.
    if (ok && route.security.length) {
      const scheme = req.auth === 'apiKey' ? 'apiKey' : req.auth === 'admin' || req.auth === 'interviewer' || req.auth === 'driver' ? 'bearer' : null;
      if (req.auth === 'forged') throw failure(req, res, `a forged credential was accepted (${res.status})`);
      if (req.auth === 'none') throw failure(req, res, `no credential, yet ${res.status}`);
      if (scheme && !route.security.includes(scheme)) throw failure(req, res, `${req.auth} is not a credential this route accepts, yet ${res.status}`);
      if (route.path.startsWith('/api/v1/admin/') && req.auth !== 'admin') throw failure(req, res, `${req.auth} on an admin route, yet ${res.status}`);
    }

    // 2. No stack trace, SQL or `undefined` in the body (unless the request itself carried that text).
    for (const [name, pattern] of LEAKS) {
      if (!pattern.test(res.text)) continue;
      if (pattern.test(sentText)) continue;
      if (ok && everSent.has(name)) {
        stats.leakSkipped++;
        continue;
      }
      throw failure(req, res, `the body contains ${name}`);
    }

    // 3. Request id and security headers on every answer.
    if (!res.headers['x-request-id']) throw failure(req, res, 'no x-request-id header');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (res.headers[name] !== value) throw failure(req, res, `header ${name} is ${JSON.stringify(res.headers[name])}, not ${value}`);
    }

    // 4. A refused mutation (or a replayed one) changes nothing.
    if (mutating) {
      const replayed = res.headers['idempotent-replayed'] === 'true';
      if (!ok || replayed) {
        const after = await snapshot();
        if (after !== before) throw failure(req, res, `the database changed although the answer was ${res.status}${replayed ? ' (replayed)' : ''}`);
      } else {
        stats.mutating2xx++;
        await afterSuccess(req, res);
      }
    }

    // 5. The body matches the schema /docs-json declares for this route and status (collected).
    const { validate, declared, contentType } = validators.forStatus(route, res.status);
    if (!templateOf(route).test(new URL(req.url, 'http://localhost').pathname)) {
      stats.rerouted++; // the URL no longer names this route once normalised (inject parses it as a WHATWG URL)
    } else if (!declared) {
      const key = `${route.key} ${res.status}`;
      stats.noSchema.set(key, (stats.noSchema.get(key) ?? 0) + 1);
    } else if (!validate) {
      stats.noBody++;
      if (contentType === undefined && res.text !== '') mismatch(route, res, req, '(body)', 'declares no body but one was sent');
    } else {
      stats.validated++;
      const type = String(res.headers['content-type'] ?? '');
      if (!/^application\/json/.test(type)) mismatch(route, res, req, '(content-type)', `is ${JSON.stringify(type)}, not JSON`);
      else if (res.body === undefined) mismatch(route, res, req, '(body)', 'is not JSON');
      else if (!validate(res.body)) for (const e of validate.errors ?? []) mismatch(route, res, req, e.instancePath, describeAjvError(e));
    }
  }

  function mismatch(route: Route, res: Response, req: FuzzRequest, at: string, message: string): void {
    const key = `${route.key} → ${res.status}: ${at.replace(/\/\d+(?=\/|$)/g, '/*') || '(root)'} ${message}`;
    const seen = mismatches.get(key);
    if (seen) seen.count++;
    else mismatches.set(key, { count: 1, example: `seed=${SEED} property=${property} run=${runIndex}: ${describeRequest(req)}\n      → ${truncate(res.text, 400)}` });
  }

  /** A fuzzed request that signed out or revoked one of the fuzzer's own credentials: make new ones. */
  async function afterSuccess(req: FuzzRequest, res: Response): Promise<void> {
    // SSRF: with WEBHOOK_ALLOW_PRIVATE=false no subscription may name a private, loopback or
    // link-local address, carry credentials, or use a scheme other than http(s).
    const hookUrl: unknown = res.body?.webhook?.url ?? res.body?.data?.url;
    if (/webhook/.test(req.route) && typeof hookUrl === 'string') {
      const url = new URL(hookUrl);
      if (!/^https?:$/.test(url.protocol) || url.username || url.password || PRIVATE_HOST.test(url.hostname)) {
        throw failure(req, res, `a webhook to ${hookUrl} was accepted`);
      }
    }
    if (req.route === 'DELETE /api/v1/auth/sign_out' && (req.auth === 'admin' || req.auth === 'interviewer' || req.auth === 'driver')) {
      creds[req.auth].token = await t.signIn(creds[req.auth].email, 'a-test-password');
    }
    if (req.route === 'DELETE /api/v1/admin/api_keys/{id}' && req.url.split('?')[0].endsWith(`/${creds.apiKey.id}`)) {
      await newApiKey();
    }
    if (req.route === 'POST /api/v1/interviews' && typeof res.body?.interview?.id === 'number') pools.interviews.push(res.body.interview.id);
  }

  async function newApiKey(): Promise<void> {
    const res = await t.post('/api/v1/admin/api_keys', { token: creds.admin.token, body: { api_key: { name: 'fuzz' } } });
    if (res.status !== 201) throw new Error(`API key creation failed: ${res.status} ${res.text}`);
    creds.apiKey = { id: res.body.api_key.id, key: res.body.api_key.key };
  }

  beforeAll(async () => {
    console.log(`fuzz: seed ${SEED} (set FUZZ_SEED to change or replay), runs ${JSON.stringify(RUNS)}`);
    t = await TestApp.start(AppModule);

    const docRes = await t.get('/docs-json');
    expect(docRes.status).toBe(200);
    doc = docRes.body;
    routes = routesOf(doc);
    validators = new ResponseValidators(doc);

    // The fuzzer's callers.
    const admin = await t.user('admin');
    const interviewer = await t.user('interviewer');
    const interviewee = await t.interviewee('verified');
    creds.admin = { id: admin.id, email: admin.email, token: admin.token };
    creds.interviewer = { id: interviewer.id, email: interviewer.email, token: interviewer.token };
    creds.driver = { id: interviewee.driver.id, email: (await t.get('/api/v1/me', { token: interviewee.driver.token })).body.user.email, token: interviewee.driver.token };
    await newApiKey();
    pools.emails.push(admin.email, interviewer.email, creds.driver.email, process.env.ADMIN_EMAIL!);

    // Interviews of the fuzzer's interviewer and driver in every live status, some already started, and
    // one between strangers (404 for the fuzzer's users).
    const book = async (startInHours: number, minutes = 30): Promise<{ id: number }> => {
      const start = new Date(t.clock.now().getTime() + startInHours * 3600_000);
      const res = await t.post('/api/v1/interviews', {
        token: interviewer.token,
        body: { interview: { interviewee_id: interviewee.id, start_at: start.toISOString(), end_at: new Date(start.getTime() + minutes * 60_000).toISOString(), kind: 'video_call', location: 'London', config: { interview_name: 'Fuzz interview', skills: [{ name: 'React' }] } } },
      });
      if (res.status !== 201) throw new Error(`interview creation failed: ${res.status} ${res.text}`);
      return res.body.interview;
    };
    const pending = await book(24);
    const scheduled = await book(26);
    await t.post(`/api/v1/interviews/${scheduled.id}/accept`, { token: interviewee.driver.token });
    const amended = await book(28);
    const proposalStart = new Date(t.clock.now().getTime() + 30 * 3600_000);
    await t.post(`/api/v1/interviews/${amended.id}/amend`, {
      token: interviewer.token,
      body: { interview: { amend_start_at: proposalStart.toISOString(), amend_end_at: new Date(proposalStart.getTime() + 1800_000).toISOString() } },
    });
    // Booked "yesterday" (the clock moved back), so complete and no_show are possible now.
    t.clock.set(new Date(Date.now() - 48 * 3600_000));
    const started = await book(24);
    const startedScheduled = await book(25);
    await t.post(`/api/v1/interviews/${startedScheduled.id}/accept`, { token: interviewee.driver.token });
    t.clock.set(null);
    const stranger = await t.scenario({ inHours: 40 });
    pools.interviews.push(pending.id, scheduled.id, amended.id, started.id, startedScheduled.id, stranger.interview.id);
    pools.interviewees.push(interviewee.id, stranger.interviewee.id);
    pools.users.push(admin.id, interviewer.id, interviewee.driver.id, stranger.interviewer.id);
    pools.drivers.push(interviewee.driver.id, stranger.driver.id);

    // Keys and webhooks to aim ids at (the fuzzer's own key is among them: revoking it makes a new one).
    // The checksum must see a change to these tables, or "nothing changed" would prove nothing.
    const beforeKeys = await snapshot();
    for (const name of ['sacrificial-1', 'sacrificial-2']) {
      const res = await t.post('/api/v1/admin/api_keys', { token: admin.token, body: { api_key: { name } } });
      pools.apiKeys.push(res.body.api_key.id);
    }
    pools.apiKeys.push(creds.apiKey.id);
    const beforeHooks = await snapshot();
    expect(beforeHooks).not.toBe(beforeKeys);
    const hook = await t.post('/api/v1/admin/webhooks', { token: admin.token, body: { webhook: { url: 'https://93.184.216.34/hooks', events: ['*'] } } });
    if (hook.status !== 201) throw new Error(`webhook creation failed: ${hook.status} ${hook.text}`);
    const publicHook = await t.post('/webhook', { headers: { 'x-api-key': creds.apiKey.key }, body: { url: 'https://93.184.216.34/public', events: ['interview.amended'] } });
    if (publicHook.status !== 200) throw new Error(`public webhook creation failed: ${publicHook.status} ${publicHook.text}`);
    pools.webhooks.push(hook.body.webhook.id, publicHook.body.data.id);
    expect(await snapshot()).not.toBe(beforeHooks);

    // Forged credentials: malformed, alg none, another algorithm, a tampered signature, a wrong key.
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = { sub: String(admin.id), scp: 'user', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600, jti: 'forged' };
    const [h, p, s] = admin.token.split('.');
    forgedCredentials.push(
      { header: 'authorization', value: 'Bearer ' },
      { header: 'authorization', value: 'Bearer abc.def.ghi' },
      { header: 'authorization', value: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.` },
      { header: 'authorization', value: `Bearer ${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims)}.${s}` },
      { header: 'authorization', value: `Bearer ${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: String(interviewer.id) })}.${s}` },
      { header: 'authorization', value: `Bearer ${h}.${p}.${s.slice(0, -2)}AA` },
      { header: 'authorization', value: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      { header: 'authorization', value: `Bearer ${creds.apiKey.key}` },
      { header: 'authorization', value: `Bearer ${'a'.repeat(5000)}` },
      { header: 'x-api-key', value: '' },
      { header: 'x-api-key', value: 'ik_00000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
      { header: 'x-api-key', value: `${creds.apiKey.key.slice(0, -3)}xyz` },
      { header: 'x-api-key', value: admin.token },
      { header: 'x-api-key', value: 'x'.repeat(5000) },
    );
  }, 120_000);

  afterAll(async () => {
    const byCount = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
    console.log(
      [
        `fuzz: seed ${SEED}; ${stats.requests} requests (${JSON.stringify(stats.perProperty)}) over ${stats.perRoute.size}/${routes?.length ?? 0} routes`,
        `  statuses: ${byCount(stats.statuses).map(([s, n]) => `${s}×${n}`).join(' ')}`,
        `  of which re-sent while shrinking a failure: ${stats.shrinkRequests}; snapshots taken: ${stats.snapshots}; mutations that succeeded: ${stats.mutating2xx}; leak checks skipped on 2xx echoes: ${stats.leakSkipped}`,
        `  bodies validated against their schema: ${stats.validated}; not validated because the URL left the route: ${stats.rerouted}; declared without a body schema: ${stats.noBody}; statuses the route does not declare: ${[...stats.noSchema.values()].reduce((a, b) => a + b, 0)}`,
        ...byCount(stats.noSchema).map(([k, n]) => `    undocumented: ${k} ×${n}`),
        `  schema mismatches: ${mismatches.size} distinct`,
      ].join('\n'),
    );
    await t?.close();
  });

  // ---------------------------------------------------------------------------------------------
  // Request generators built on the routes and pools
  // ---------------------------------------------------------------------------------------------

  function poolFor(route: Route, param: string): number[] {
    if (param === 'delivery_id') return pools.deliveries;
    if (route.path.includes('api_keys')) return pools.apiKeys;
    if (/webhook/.test(route.path)) return pools.webhooks;
    return pools.interviews;
  }

  /** The route's URL: path values substituted (hostile ones only when asked), and a query string when asked. */
  function urlArb(route: Route, { hostile, query }: { hostile: boolean; query: boolean }): fc.Arbitrary<string> {
    const params = route.pathParams.map((p) => pathValueArb(poolFor(route, p), hostile));
    return fc.tuple(fc.tuple(...params), query ? fc.option(queryArb(route, base), { freq: 2 }) : fc.constant(null)).map(([values, q]) => {
      let i = 0;
      const path = route.path.replace(/\{[^}]+\}/g, () => values[i++]);
      return q === null || q === '' ? path : `${path}?${q}`;
    });
  }

  function authArb(route: Route, validWeight: number): fc.Arbitrary<{ auth: AuthKind; forged?: { header: string; value: string } }> {
    const natural: AuthKind[] = route.security.includes('apiKey') && !route.security.includes('bearer') ? ['apiKey'] : ['admin', 'interviewer', 'driver'];
    return fc.oneof(
      { weight: validWeight, arbitrary: fc.constantFrom(...natural).map((auth) => ({ auth })) },
      { weight: 2, arbitrary: fc.constantFrom<AuthKind>('admin', 'interviewer', 'driver', 'apiKey').map((auth) => ({ auth })) },
      { weight: 1, arbitrary: fc.constant({ auth: 'none' as AuthKind }) },
      { weight: 1, arbitrary: fc.constantFrom(...forgedCredentials).map((forged) => ({ auth: 'forged' as AuthKind, forged })) },
    );
  }

  const resolve = (schema: Schema): Schema => {
    let s = schema;
    while (s && s.$ref) s = s.$ref.replace(/^#\//, '').split('/').reduce((node: Schema, part: string) => node[part], doc);
    return s;
  };

  /** A value that fits the schema (roughly: ids come from the pools, times from near the clock). */
  function shapedArb(schema: Schema, name = '', depth = 0, poison = true): fc.Arbitrary<unknown> {
    const s = resolve(schema) ?? {};
    if (depth > 6) return fc.constant(null);
    if (s.enum) return fc.constantFrom(...s.enum);
    const example = s.example !== undefined ? [fc.constant(s.example)] : [];
    if (s.type === 'object' && s.properties) {
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, prop] of Object.entries<Schema>(s.properties)) shape[key] = shapedArb(prop, key, depth + 1, poison);
      return fc.record(shape, { requiredKeys: s.required ?? [] });
    }
    if (s.type === 'array') return fc.array(shapedArb(s.items ?? {}, name, depth + 1, poison), { maxLength: Math.min(s.maxItems ?? 3, 3) });
    if (s.type === 'boolean') return fc.boolean();
    if (s.type === 'number' || s.type === 'integer') {
      if (name === 'driver_id') return fc.constantFrom(...pools.drivers, ...pools.users);
      if (name === 'interviewee_id') return fc.constantFrom(...pools.interviewees);
      if (name.endsWith('_id')) return fc.constantFrom(...pools.users);
      return fc.oneof(...example, fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 100 }));
    }
    // Strings, and the fields the document types as "object" though they are nullable strings.
    if (/(_at|^from|^to)$/.test(name)) return timestampArb(base);
    if (name === 'email') return fc.oneof(fc.constantFrom(...pools.emails), fc.uuid().map((u) => `fuzz-${u}@test.example`));
    if (name === 'password') return fc.constantFrom('a-test-password', 'short', 'a-long-enough-password');
    if (name === 'url') return fc.constantFrom(...WEBHOOK_URLS);
    const plain = fc.string({ unit: 'grapheme', minLength: s.minLength ?? 1, maxLength: Math.min(s.maxLength ?? 30, 30) }).map(clean);
    const text = poison
      ? fc.oneof({ weight: 6, arbitrary: plain }, { weight: 1, arbitrary: fc.constantFrom(...POISON, 'x'.repeat((s.maxLength ?? 200) + 1)) })
      : plain;
    return s.nullable ? fc.oneof(...example, text, fc.constant(null)) : fc.oneof(...example, text);
  }

  type Mutation =
    | { kind: 'none' }
    | { kind: 'poison'; at: number; value: string }
    | { kind: 'drop' | 'null' | 'wrap' | 'unknown' | 'replace' | 'proto' | 'deep' | 'dup-root'; at: number; value: unknown; key: string };

  /** Left as generated (may succeed), one string made poisonous (valid to a validator), or broken. */
  const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'none' } as Mutation) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('poison' as const), at: fc.nat(), value: fc.constantFrom(...POISON) }) },
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constantFrom('drop', 'null', 'wrap', 'unknown', 'replace', 'replace', 'replace', 'proto', 'deep', 'dup-root') as fc.Arbitrary<Exclude<Mutation['kind'], 'none' | 'poison'>>,
        at: fc.nat(),
        value: nastyValue,
        key: fc.oneof(fc.constantFrom('id', 'role', 'version', 'status', 'admin', 'interviewer_id', 'created_at', 'password_hash', 'owner_api_key_id', 'secret', 'revoked_at'), anyString),
      }),
    },
  );

  /** Applies one mutation at one of the value's object/array nodes (or its leaves). */
  function mutate(value: unknown, m: Mutation): unknown {
    if (m.kind === 'none') return value;
    // A JSON round trip rather than structuredClone: the copy stays in this realm, so fast-check prints it.
    const root = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    const containers: Record<string, unknown>[] = [];
    const leaves: [Record<string, unknown>, string][] = [];
    const walk = (node: unknown) => {
      if (node && typeof node === 'object') {
        containers.push(node as Record<string, unknown>);
        for (const [k, v] of Object.entries(node)) {
          leaves.push([node as Record<string, unknown>, k]);
          walk(v);
        }
      }
    };
    walk(root);
    if (m.kind === 'poison') {
      const strings = leaves.filter(([parent, key]) => typeof parent[key] === 'string');
      if (!strings.length) return root;
      const [parent, key] = strings[m.at % strings.length];
      parent[key] = m.value;
      return root;
    }
    if (m.kind === 'dup-root') return [root, root];
    if (m.kind === 'deep') {
      let deep: unknown = m.value;
      for (let i = 0; i < 20 + (m.at % 40); i++) deep = { a: deep };
      if (!containers.length) return deep;
      containers[m.at % containers.length][m.key] = deep;
      return root;
    }
    if (m.kind === 'unknown' || m.kind === 'proto' || !leaves.length) {
      if (!containers.length) return m.value;
      const target = containers[m.at % containers.length];
      if (m.kind === 'proto') Object.defineProperty(target, ['__proto__', 'constructor', 'prototype'][m.at % 3], { value: { admin: true, role: 'admin' }, enumerable: true, configurable: true, writable: true });
      else target[m.key] = m.value;
      return root;
    }
    const [parent, key] = leaves[m.at % leaves.length];
    if (m.kind === 'drop') delete parent[key];
    else if (m.kind === 'null') parent[key] = null;
    else if (m.kind === 'wrap') parent[key] = [parent[key]];
    else parent[key] = m.value;
    return root;
  }

  const bodyRoutes = () => routes.filter((r) => r.requestSchema);

  function arbitraryJsonRequest(): fc.Arbitrary<FuzzRequest> {
    return fc.constantFrom(...routes).chain((route) =>
      fc
        .record({
          url: urlArb(route, { hostile: false, query: false }),
          who: authArb(route, 4),
          h: headersArb(),
          body: fc.option(anyJson, { freq: 5 }),
          contentType: contentTypeArb(1),
        })
        .map(({ url, who, h, body, contentType }) => ({
          route: route.key, method: route.method, url, ...who, headers: h.headers,
          body: body === null ? undefined : body,
          contentType: body === null ? undefined : contentType,
        })),
    );
  }

  function shapedRequest(): fc.Arbitrary<FuzzRequest> {
    const withBody = bodyRoutes();
    return fc.constantFrom(...withBody).chain((route) =>
      fc
        .record({
          url: urlArb(route, { hostile: false, query: false }),
          who: authArb(route, 8),
          h: headersArb(),
          body: fc.oneof({ weight: 9, arbitrary: shapedArb(route.requestSchema) }, { weight: 1, arbitrary: fc.constantFrom(...withBody).chain((other) => shapedArb(other.requestSchema)) }),
          mutation: mutationArb,
          keepHeaders: fc.nat({ max: 3 }),
        })
        .map(({ url, who, h, body, mutation, keepHeaders }) => ({
          route: route.key, method: route.method, url, ...who,
          // Mostly clean headers here, so that the body is what gets judged.
          headers: keepHeaders === 0 ? h.headers : {},
          body: mutate(body, mutation),
        })),
    );
  }

  function idsQueriesHeadersRequest(): fc.Arbitrary<FuzzRequest> {
    return fc.constantFrom(...routes).chain((route) =>
      fc
        .record({ url: urlArb(route, { hostile: true, query: true }), who: authArb(route, 6), h: headersArb(), body: route.requestSchema ? fc.option(shapedArb(route.requestSchema, '', 0, false), { freq: 2 }) : fc.constant(null) })
        .map(({ url, who, h, body }) => ({ route: route.key, method: route.method, url, ...who, headers: h.headers, body: body ?? undefined })),
    );
  }

  function rawPayloadRequest(): fc.Arbitrary<FuzzRequest> {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const raws = fc.oneof(
      fc.constantFrom(
        '', ' ', '{', '}', '{"a":1', '{"a":1}}', '{a:1}', "{'a':1}", '[1,2', 'nul', 'null', 'true', '0', '-0', '1e999999', '"str"', '[]', '{}',
        '\ufeff{}', '{"a":1,"a":2}', '{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"role":"admin"}}}',
        '{"interview":{"__proto__":{"status":"completed"}}}', '{"user":{"email":"a@b.c","password":"x","__proto__":{"role":"admin"}}}',
        '{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"a":"\\x41"}', '{"a":01}', '{"a":NaN}', '{"a":Infinity}', '{"a":1,}', '[1,]', '\u0000',
        deep(20), deep(5000), deepObject(17), deepObject(3000), '{"a":"' + 'x'.repeat(110_000) + '"}', '[' + '1,'.repeat(60_000) + '1]',
        'x'.repeat(102_401), '{"interview":' + JSON.stringify({ reason: 'y'.repeat(99_000) }) + '}',
      ),
      fc.string({ unit: 'binary', maxLength: 60 }).map(clean),
      anyJson.map((v) => clean(JSON.stringify(v)).slice(0, -1)),
    );
    return fc.constantFrom(...routes).chain((route) =>
      fc
        .record({ url: urlArb(route, { hostile: false, query: false }), who: authArb(route, 8), h: headersArb(), raw: raws, contentType: contentTypeArb(3) })
        .map(({ url, who, h, raw, contentType }) => ({ route: route.key, method: route.method, url, ...who, headers: h.headers, raw, contentType })),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // The properties
  // ---------------------------------------------------------------------------------------------

  async function runProperty(name: PropertyName, arb: () => fc.Arbitrary<FuzzRequest>): Promise<void> {
    if (ONLY && ONLY !== name) return;
    property = name;
    runIndex = 0;
    let firstFailure: number | null = null;
    await fc.assert(
      fc.asyncProperty(arb(), async (req) => {
        runIndex++;
        // Shrinking re-sends requests against a database earlier runs have changed; past a budget the
        // remaining candidates pass unsent and fast-check reports the smallest failure found so far.
        if (firstFailure !== null) {
          if (runIndex - firstFailure > SHRINK_BUDGET) return;
          stats.shrinkRequests++;
        }
        try {
          await check(req);
        } catch (error) {
          firstFailure ??= runIndex;
          throw error;
        }
      }),
      { seed: SEED, numRuns: RUNS[name], ...(REPLAY_PATH && ONLY === name ? { path: REPLAY_PATH } : {}), verbose: 1 },
    );
  }

  it('never answers 5xx, leaks nothing and changes nothing when refusing: arbitrary JSON bodies on every route', async () => {
    await runProperty('arbitrary-json', arbitraryJsonRequest);
  }, 240_000);

  it('the same with bodies shaped like each route’s request schema, one field mutated', async () => {
    await runProperty('shaped-bodies', shapedRequest);
  }, 240_000);

  it('the same with hostile path ids, query strings and headers', async () => {
    await runProperty('ids-queries-headers', idsQueriesHeadersRequest);
  }, 240_000);

  it('the same with raw payloads: broken JSON, deep nesting, bodies over 100 kB, other media types', async () => {
    await runProperty('raw-payloads', rawPayloadRequest);
  }, 240_000);

  it(`sent at least ${MIN_REQUESTS} requests, on every route and method of /docs-json`, () => {
    if (ONLY) return;
    expect(Object.values(RUNS).reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(stats.requests - stats.shrinkRequests).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(routes.filter((r) => !stats.perRoute.has(r.key)).map((r) => r.key)).toEqual([]);
  });

  it('every response body validates against the schema /docs-json declares for its route and status', () => {
    const report = [...mismatches.entries()].map(([key, { count, example }]) => `  ${key} (×${count})\n    e.g. ${example}`);
    if (report.length) throw new Error(`[fuzz seed=${SEED}] ${report.length} distinct schema mismatches:\n${report.join('\n')}`);
  });
});

/** encodeURIComponent, except that a lone surrogate becomes the (invalid UTF-8) bytes it would have been. */
function encode(s: string): string {
  return s.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^]/g, (c) => (c.length === 1 && c >= '\ud800' && c <= '\udfff' ? '%ED%A0%80' : encodeURIComponent(c)));
}

function truncate(s: string | undefined, n: number): string {
  if (s === undefined) return 'undefined';
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

function templateOf(route: Route): RegExp {
  return new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
}

function describeAjvError(e: ErrorObject): string {
  return `${e.keyword}: ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`;
}
