import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '#platform';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyStrategy } from './api-keys/api-key.strategy';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthenticationGuard, RolesGuard } from './auth/auth.guards';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { RevokedTokenEntity } from './auth/revoked-token.entity';
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
 * Users, sign-in and sign-out, the JWT strategy, and the global guards, in this order: authentication
 * (who is calling), rate limits (counted per that caller, or per IP when anonymous), roles.
 */
@Module({
  imports: [
    RateLimitsModule,
    TypeOrmModule.forFeature([UserEntity, RevokedTokenEntity, ApiKeyEntity]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        secret: config.get('JWT_SECRET', { infer: true }) as string,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, AdminUsersController, AdminApiKeysController],
  providers: [
    PasswordHasher,
    UsersService,
    AuthService,
    JwtStrategy,
    ApiKeysService,
    ApiKeyStrategy,
    AdminBootstrap,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [UsersService, ApiKeysService],
})
export class IdentityModule {}
