import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, IdempotencyExempt, IdempotentMutations, Public } from '#platform';
import { AuthService } from '../auth/auth.service';
import { CurrentPrincipal, type UserPrincipal } from '../auth/principal';
import { UsersService } from '../users/users.service';
import { SignInRequest, SignInResponse } from './auth.dto';
import { presentUser, UserEnvelope } from './user.presenter';

@ApiTags('auth')
@IdempotentMutations()
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @IdempotencyExempt() // no resource to repeat, and the token must never be stored
  @Post('auth/sign_in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; the token is also in the Authorization header' })
  @ApiOkResponse({ type: SignInResponse })
  @ApiErrors(400, 401)
  async signIn(
    @Body() body: SignInRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SignInResponse> {
    const { token, expiresAt, user } = await this.auth.signIn(body.user.email, body.user.password);
    reply.header('authorization', `Bearer ${token}`);
    return { token, token_type: 'Bearer', expires_at: expiresAt.toISOString(), user: presentUser(user) };
  }

  @IdempotencyExempt()
  @Delete('auth/sign_out')
  @HttpCode(204)
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'Sign out: this token is refused from now on' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(401)
  async signOut(@CurrentPrincipal() principal: UserPrincipal): Promise<void> {
    await this.auth.signOut(principal);
  }

  @Get('me')
  @ApiBearerAuth('bearer')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserEnvelope })
  @ApiErrors(401)
  async me(@CurrentPrincipal() principal: UserPrincipal): Promise<UserEnvelope> {
    const user = await this.users.findById(principal.id);
    return { user: presentUser(user!) };
  }
}
