import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';

/** Who is calling: a signed-in user (from a Bearer JWT). API-key callers join with the public API. */
export interface UserPrincipal {
  type: 'user';
  id: string;
  role: Role;
  jti: string;
  exp: number;
}

export type Principal = UserPrincipal;

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().user,
);

export const ROLES_KEY = 'identity:roles';
/** Restricts a route to the given roles (the global RolesGuard reads it). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
