import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsIn, IsObject, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { ROLES, type Role } from '../users/user.entity';
import { UserJson } from './user.presenter';

/** The longest email an account can have (RFC 5321's path limit); sign-in refuses longer ones. */
export const MAX_EMAIL_LENGTH = 254;

export class Credentials {
  @ApiProperty({ example: 'admin@example.com' })
  @IsString()
  @MaxLength(MAX_EMAIL_LENGTH)
  email: string;

  @ApiProperty({ example: 'change-me-please' })
  @IsString()
  @MaxLength(200)
  password: string;
}

export class SignInRequest {
  @ApiProperty({ type: Credentials })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => Credentials)
  user: Credentials;
}

export class SignInResponse {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiJ9…' }) token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: '2025-02-21T13:12:54.000Z' }) expires_at: string;
  @ApiProperty({ type: UserJson }) user: UserJson;
}

export class NewUserFields {
  @ApiProperty({ example: 'jacob@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'a-long-password', minLength: 8 })
  @IsString()
  @Length(8, 200)
  password: string;

  @ApiProperty({ enum: ROLES, example: 'interviewer' })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ example: 'Jacob Bogisich' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ type: String, required: false, nullable: true, example: '07554 311340' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone_number?: string | null;

  @ApiProperty({ type: String, required: false, nullable: true, example: null })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  contact_phone_number?: string | null;

  @ApiProperty({ type: String, required: false, nullable: true, example: null })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  image?: string | null;
}

export class CreateUserRequest {
  @ApiProperty({ type: NewUserFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewUserFields)
  user: NewUserFields;
}
