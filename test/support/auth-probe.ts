import { Controller, Get, Module } from '@nestjs/common';
import { Public } from '#platform';
import { AcceptPrincipals, CurrentPrincipal, type Principal } from '#identity';
import { AppModule } from '../../apps/api/src/app.module';

/** Routes that only answer who the authentication guard found, for the guard's own tests. */
@Controller('api/v1/probe')
class AuthProbeController {
  @Public()
  @Get('public')
  public(@CurrentPrincipal() principal: Principal | undefined) {
    return { principal: principal ?? null };
  }

  @Get('default')
  byDefault(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @AcceptPrincipals('user', 'api_key')
  @Get('user-then-key')
  userThenKey(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  @AcceptPrincipals('api_key', 'user')
  @Get('key-then-user')
  keyThenUser(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }
}

/** The whole app plus the probe routes. */
@Module({ imports: [AppModule], controllers: [AuthProbeController] })
export class AuthProbeAppModule {}
