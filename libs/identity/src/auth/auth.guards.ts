import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ForbiddenError, IS_PUBLIC } from '#platform';
import type { Role } from '../users/user.entity';
import { type Principal, PRINCIPAL_KINDS_KEY, type PrincipalKind, ROLES_KEY } from './principal';

const STRATEGY: Record<PrincipalKind, string> = { user: 'jwt', api_key: 'api-key' };

function passportGuard(strategies: string[]): CanActivate {
  class Guard extends AuthGuard(strategies) {
    override handleRequest<T>(error: unknown, principal: T): T {
      // A failure to check the credentials (the database is down) is not a wrong credential.
      if (error) throw error;
      if (!principal) throw new UnauthorizedException();
      return principal;
    }
  }
  return new Guard();
}

/**
 * Global: every route needs a principal of a kind it accepts (@AcceptPrincipals; a user's Bearer
 * token by default) unless it is marked @Public().
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly guards = new Map<string, CanActivate>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const kinds = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(PRINCIPAL_KINDS_KEY, targets) ?? ['user'];
    const strategies = kinds.map((kind) => STRATEGY[kind]);
    const key = strategies.join(',');
    let guard = this.guards.get(key);
    if (!guard) this.guards.set(key, (guard = passportGuard(strategies)));
    return guard.canActivate(context);
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
