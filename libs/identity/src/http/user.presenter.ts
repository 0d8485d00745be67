import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role, UserEntity } from '../users/user.entity';

export class UserJson {
  @ApiProperty({ example: 1050 }) id: number;
  @ApiProperty({ example: 'jacob@example.com' }) email: string;
  @ApiProperty({ enum: ROLES, example: 'interviewer' }) role: Role;
  @ApiProperty({ example: 'Jacob Bogisich' }) title: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '07554 311340' }) phone_number: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) contact_phone_number: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) image: string | null;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) created_at: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) updated_at: string;
}

export class UserEnvelope {
  @ApiProperty({ type: UserJson }) user: UserJson;
}

export function presentUser(user: UserEntity): UserJson {
  return {
    id: Number(user.id),
    email: user.email,
    role: user.role,
    title: user.title,
    phone_number: user.phoneNumber,
    contact_phone_number: user.contactPhoneNumber,
    image: user.image,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
