import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, IS_PUBLIC } from '#platform';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { Role } from '../users/user.entity';
import { AccessTokens } from './access-tokens';
import { type Principal, PRINCIPAL_KINDS_KEY, type PrincipalKind, ROLES_KEY } from './principal';

/**
 * Global: every route needs a principal of a kind it accepts (@AcceptPrincipals; a user's Bearer
 * token by default) unless it is marked @Public(). The principal goes on `request.user`. A failure to
 * check the credentials (the database is down) is not a wrong credential: it propagates (503).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const kinds = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(PRINCIPAL_KINDS_KEY, targets) ?? ['user'];
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: Principal }>();
    for (const kind of kinds) {
      const principal =
        kind === 'user' ? await this.tokens.authenticate(request.headers.authorization) : await this.apiKeys.authenticate(request.headers['x-api-key']);
      if (principal) {
        request.user = principal;
        return true;
      }
    }
    throw new UnauthorizedException();
  }
}

/** Global: a route marked @Roles(...) admits only those roles; 403 otherwise. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const principal: Principal | undefined = context.switchToHttp().getRequest().user;
    if (principal?.type === 'user' && roles.includes(principal.role)) return true;
    throw new ForbiddenError('your role may not do this');
  }
}
