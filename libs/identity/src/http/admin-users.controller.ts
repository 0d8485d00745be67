import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, IdempotentMutations } from '#platform';
import { Roles } from '../auth/principal';
import { UsersService } from '../users/users.service';
import { CreateUserRequest } from './auth.dto';
import { presentUser, UserEnvelope } from './user.presenter';

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@IdempotentMutations()
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user (interviewer, driver or admin)' })
  @ApiCreatedResponse({ type: UserEnvelope })
  @ApiErrors(400, 401, 403)
  async create(@Body() body: CreateUserRequest): Promise<UserEnvelope> {
    const { email, password, role, title, phone_number, contact_phone_number, image } = body.user;
    const user = await this.users.create({
      email,
      password,
      role,
      title,
      phoneNumber: phone_number,
      contactPhoneNumber: contact_phone_number,
      image,
    });
    return { user: presentUser(user) };
  }
}
