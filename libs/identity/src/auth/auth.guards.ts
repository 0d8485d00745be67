import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, AuthModuleOptions, type IAuthGuard } from '@nestjs/passport';
import { ForbiddenError, IS_PUBLIC } from '#platform';
import type { Role } from '../users/user.entity';
import { type Principal, PRINCIPAL_KINDS_KEY, type PrincipalKind, ROLES_KEY } from './principal';
import { STRATEGY_OF } from './strategies';

/** No sessions: every request carries its credential. */
export const PASSPORT_OPTIONS = { session: false, property: 'user' } as const;

/**
 * Global: every route needs a principal of a kind it accepts (@AcceptPrincipals; a user's Bearer
 * token by default) unless it is marked @Public(). @nestjs/passport's AuthGuard does the work, with
 * the route's kinds as its list of strategies in the route's order (passport tries each until one
 * succeeds); the principal goes on `request.user`. None succeeding is a 401 (AuthGuard's
 * UnauthorizedException, which the exception filter puts in the route's envelope). A failure to
 * check the credentials (the database is down) is not a wrong credential: it propagates (503).
 *
 * AuthGuard fixes its strategies when its class is made, and the list depends on the route, so this
 * guard keeps one AuthGuard per list (there are as many as distinct @AcceptPrincipals lists: two).
 * Cost measured by bench/auth-guard.ts (the guard alone, credentials checked in memory):
 * see the figures there and in docs/ARCHITECTURE.md.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly guards = new Map<string, IAuthGuard>();
  private readonly options: AuthModuleOptions;

  constructor(
    private readonly reflector: Reflector,
    @Optional() options?: AuthModuleOptions,
  ) {
    this.options = { ...options, ...PASSPORT_OPTIONS };
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const kinds = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(PRINCIPAL_KINDS_KEY, targets) ?? DEFAULT_KINDS;
    return this.guardFor(kinds).canActivate(context) as Promise<boolean>;
  }

  private guardFor(kinds: readonly PrincipalKind[]): IAuthGuard {
    const key = kinds.join(',');
    let guard = this.guards.get(key);
    if (!guard) {
      const Guard = AuthGuard(kinds.map((kind) => STRATEGY_OF[kind]));
      guard = new Guard(this.options);
      this.guards.set(key, guard);
    }
    return guard;
  }
}

const DEFAULT_KINDS: readonly PrincipalKind[] = ['user'];

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
