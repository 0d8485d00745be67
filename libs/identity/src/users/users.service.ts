import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ValidationFailedError } from '#platform';
import { emailKey, emailKeySql } from './email-key';
import { PasswordHasher } from './password-hasher';
import { Role, UserEntity } from './user.entity';

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  title: string;
  phoneNumber?: string | null;
  contactPhoneNumber?: string | null;
  image?: string | null;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
  ) {}

  async create(input: NewUser): Promise<UserEntity> {
    const passwordHash = await this.hasher.hash(input.password);
    // One statement: the unique indexes (lower(email), and the sign-in key) decide races, not a read before the write.
    const rows: UserEntity[] = await this.users.query(
      `INSERT INTO users (email, password_hash, role, title, phone_number, contact_phone_number, image)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [input.email, passwordHash, input.role, input.title, input.phoneNumber ?? null, input.contactPhoneNumber ?? null, input.image ?? null],
    );
    if (rows.length === 0) {
      throw ValidationFailedError.of([{ field: 'user.email', message: 'has already been taken' }]);
    }
    return this.users.findOneByOrFail({ id: String(rows[0].id) });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /**
   * With the password hash, for sign-in only: by `emailKey`, the key the sign-in throttler counts
   * by, compared as is with the same fold of the stored email (never a second normalisation in SQL).
   */
  findByEmailWithSecret(email: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where(`${emailKeySql('u.email')} = :key`, { key: emailKey(email) })
      .getOne();
  }

  async existsWithEmail(email: string): Promise<boolean> {
    return (await this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getCount()) > 0;
  }
}
