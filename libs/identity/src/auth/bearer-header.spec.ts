import { bearerTokenOf } from './access-tokens';

/** The Authorization header is read in time linear in its length, whatever an anonymous caller sends. */
describe('reading the Authorization header', () => {
  it('takes the token of a Bearer header, the scheme in any case', () => {
    expect(bearerTokenOf('Bearer abc.def-_g')).toBe('abc.def-_g');
    expect(bearerTokenOf('bearer\tabc.def')).toBe('abc.def');
    expect(bearerTokenOf('Basic abc')).toBeNull();
    expect(bearerTokenOf('Bearer a b')).toBeNull();
    expect(bearerTokenOf(undefined)).toBeNull();
  });

  it('answers 64 kB headers without whitespace, or with one at the end, in well under 50 ms', () => {
    const started = process.hrtime.bigint();
    for (const header of ['x'.repeat(65536), `Bearer ${'x'.repeat(65536)} !`, ` ${'a'.repeat(65536)}`, `Bearer ${'a '.repeat(32768)}`]) {
      expect(bearerTokenOf(header)).toBeNull();
    }
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });
});
