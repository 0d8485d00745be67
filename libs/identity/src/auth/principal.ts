import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';

/** Who is calling: a signed-in user (Bearer JWT) or an integration (x-api-key). */
export interface UserPrincipal {
  type: 'user';
  id: string;
  role: Role;
  jti: string;
  exp: number;
}

export interface ApiKeyPrincipal {
  type: 'api_key';
  id: string;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;
export type PrincipalKind = Principal['type'];

export const PRINCIPAL_KINDS_KEY = 'identity:principalKinds';
/**
 * Which credentials a route takes; by default only a user's Bearer token. A Bearer token is never
 * taken as an API key, nor the reverse.
 */
export const AcceptPrincipals = (...kinds: PrincipalKind[]) => SetMetadata(PRINCIPAL_KINDS_KEY, kinds);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().user,
);

export const ROLES_KEY = 'identity:roles';
/** Restricts a route to the given roles (the global RolesGuard reads it). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
