import { randomUUID } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Environment } from '#platform';
import { PasswordHasher } from '../users/password-hasher';
import { UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { type AccessTokenClaims, AccessTokens } from './access-tokens';
import type { UserPrincipal } from './principal';
import { RevokedTokenEntity } from './revoked-token.entity';

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: UserEntity;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly config: ConfigService<Environment, true>,
    @InjectRepository(RevokedTokenEntity) private readonly revoked: Repository<RevokedTokenEntity>,
  ) {}

  /** Same answer, in about the same time, for an unknown email and a wrong password. */
  async signIn(email: string, password: string): Promise<SignedIn> {
    const user = await this.users.findByEmailWithSecret(email);
    const valid = await this.hasher.verify(password, user?.passwordHash ?? null);
    if (!user || !valid) throw new UnauthorizedException();
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.config.get('JWT_TTL', { infer: true });
    const claims: AccessTokenClaims = { sub: String(user.id), scp: 'user', aud: null, iat, exp, jti: randomUUID() };
    const token = this.tokens.sign(claims);
    const { passwordHash: _, ...visible } = user;
    return { token, expiresAt: new Date(exp * 1000), user: visible as UserEntity };
  }

  async signOut(principal: UserPrincipal): Promise<void> {
    await this.revoked
      .createQueryBuilder()
      .insert()
      .values({ jti: principal.jti, expiresAt: new Date(principal.exp * 1000) })
      .orIgnore()
      .execute();
  }
}
