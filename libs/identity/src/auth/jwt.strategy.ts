import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import type { Environment } from '#platform';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bearer JWTs as the seed's: HS256 only (an `alg: none` or RS256 token is refused by the pinned
 * algorithm list), `exp` enforced, and one query that checks both that the user still exists
 * (with its current role) and that the token's `jti` has not been signed out.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: ConfigService<Environment, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject made once: given a string, jsonwebtoken first tries it as a PEM public key on
      // every verify (createPublicKey throws, then createSecretKey), a quarter of a read's CPU.
      // passport-jwt hands it to jsonwebtoken untouched; its types only predate KeyObject.
      secretOrKey: createSecretKey(Buffer.from(config.get('JWT_SECRET', { infer: true }) as string)) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: Partial<AccessTokenClaims>): Promise<UserPrincipal | false> {
    const { sub, scp, jti, exp } = claims;
    if (scp !== 'user' || typeof sub !== 'string' || !/^[1-9][0-9]{0,18}$/.test(sub)) return false;
    if (typeof jti !== 'string' || !UUID.test(jti) || typeof exp !== 'number') return false;
    const rows: { role: Role; revoked: boolean }[] = await this.dataSource.query(
      `SELECT u.role, EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $2) AS revoked
         FROM users u WHERE u.id = $1`,
      [sub, jti],
    );
    if (rows.length === 0 || rows[0].revoked) return false;
    return { type: 'user', id: sub, role: rows[0].role, jti, exp };
  }
}
