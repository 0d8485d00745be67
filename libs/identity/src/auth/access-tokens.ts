import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSigner, createVerifier } from 'fast-jwt';
import { type Environment, Sql } from '#platform';
import type { Role } from '../users/user.entity';
import type { UserPrincipal } from './principal';

export interface AccessTokenClaims {
  sub: string;
  scp: 'user';
  aud: null;
  iat: number;
  exp: number;
  jti: string;
}

const USER_ID = /^[1-9][0-9]{0,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * `Authorization: Bearer <token>`, the scheme in any case (as passport-jwt read it). Anchored, with
 * no two quantifiers competing for the same characters, and only on a header of sane length: the
 * unanchored `(\S+)\s+(\S+)` backtracked quadratically (16 kB without a space held the event loop 0.8 s).
 */
const AUTHORIZATION = /^([A-Za-z]+)[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/;
const MAX_AUTHORIZATION_LENGTH = 8192;

/**
 * Bearer JWTs as the seed's, with fast-jwt (the library behind @fastify/jwt): HS256 only (an
 * `alg: none` or RS256 token is refused by the pinned algorithm list), `exp` and `nbf` enforced, and
 * one query that checks both that the user still exists (with its current role) and that the
 * token's `jti` has not been signed out. Verified signatures are cached (fast-jwt's LRU, never past
 * a token's `exp`); the user and revocation check runs on every request, so signing out and
 * deleting a user take effect at once. jsonwebtoken behind passport-jwt cost 70 µs a request.
 */
/** The token of an `Authorization: Bearer …` header, or null; linear in the header's length. */
export function bearerTokenOf(authorization: unknown): string | null {
  if (typeof authorization !== 'string' || authorization.length > MAX_AUTHORIZATION_LENGTH) return null;
  const match = AUTHORIZATION.exec(authorization);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : null;
}

@Injectable()
export class AccessTokens {
  private readonly signer: (claims: AccessTokenClaims) => string;
  private readonly verifier: (token: string) => Partial<AccessTokenClaims>;

  constructor(
    config: ConfigService<Environment, true>,
    private readonly sql: Sql,
  ) {
    const key = config.get('JWT_SECRET', { infer: true }) as string;
    this.signer = createSigner({ key, algorithm: 'HS256' });
    this.verifier = createVerifier({ key, algorithms: ['HS256'], cache: 10_000 });
  }

  sign(claims: AccessTokenClaims): string {
    return this.signer(claims);
  }

  /** The signed-in user an Authorization header speaks for, or null for anything else. */
  async authenticate(authorization: unknown): Promise<UserPrincipal | null> {
    const token = bearerTokenOf(authorization);
    if (!token) return null;
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.verifier(token);
    } catch {
      return null; // malformed, badly signed, expired, not yet valid, another algorithm
    }
    const { sub, scp, jti, exp } = claims;
    if (scp !== 'user' || typeof sub !== 'string' || !USER_ID.test(sub)) return null;
    if (typeof jti !== 'string' || !UUID.test(jti) || typeof exp !== 'number') return null;
    const rows = await this.sql.query<{ role: Role; revoked: boolean }>(
      `SELECT u.role, EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $2) AS revoked
         FROM users u WHERE u.id = $1`,
      [sub, jti],
    );
    if (rows.length === 0 || rows[0].revoked) return null;
    return { type: 'user', id: sub, role: rows[0].role, jti, exp };
  }
}
