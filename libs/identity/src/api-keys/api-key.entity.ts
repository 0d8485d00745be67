import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

@Entity('api_keys')
@Index('api_keys_prefix_key', ['prefix'], { unique: true })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('text') name: string;
  /** The key's public part, shown in lists so an admin can tell keys apart, and used to look it up. */
  @Column('text') prefix: string;
  @Column({ name: 'secret_sha256', type: 'bytea', select: false }) secretSha256: Buffer;
  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  @ForeignKey(() => UserEntity, { name: 'api_keys_created_by_fkey' })
  createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
