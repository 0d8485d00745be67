export * from './identity.module';
export * from './auth/principal';
export { ROLES, type Role, UserEntity } from './users/user.entity';
export { UsersService } from './users/users.service';
export { ApiKeysService } from './api-keys/api-keys.service';
export { presentUser } from './http/user.presenter';
