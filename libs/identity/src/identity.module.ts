import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AccessTokens } from './auth/access-tokens';
import { AuthenticationGuard, PASSPORT_OPTIONS, RolesGuard } from './auth/auth.guards';
import { AuthService } from './auth/auth.service';
import { RevokedTokenEntity } from './auth/revoked-token.entity';
import { RevokedTokensRetention } from './auth/revoked-tokens.retention';
import { ApiKeyStrategy, BearerStrategy } from './auth/strategies';
import { AdminApiKeysController } from './http/admin-api-keys.controller';
import { AdminUsersController } from './http/admin-users.controller';
import { AuthController } from './http/auth.controller';
import { RateLimitGuard } from './throttling/rate-limit.guard';
import { RateLimitsModule } from './throttling/rate-limits.module';
import { AdminBootstrap } from './users/admin-bootstrap';
import { PasswordHasher } from './users/password-hasher';
import { UserEntity } from './users/user.entity';
import { UsersService } from './users/users.service';

/**
 * Users, sign-in and sign-out, access tokens and API keys (passport strategies `bearer` and `api-key`), and the global guards, in this order: authentication
 * (who is calling), rate limits (counted per that caller, or per IP when anonymous), roles.
 */
@Module({
  imports: [
    PassportModule.register(PASSPORT_OPTIONS),
    RateLimitsModule,
    TypeOrmModule.forFeature([UserEntity, RevokedTokenEntity, ApiKeyEntity]),
  ],
  controllers: [AuthController, AdminUsersController, AdminApiKeysController],
  providers: [
    PasswordHasher,
    UsersService,
    AuthService,
    AccessTokens,
    ApiKeysService,
    BearerStrategy,
    ApiKeyStrategy,
    AdminBootstrap,
    RevokedTokensRetention,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [UsersService, ApiKeysService],
})
export class IdentityModule {}
