import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('text') name: string;
  /** The key's public part, shown in lists so an admin can tell keys apart, and used to look it up. */
  @Column('text') prefix: string;
  @Column({ name: 'secret_sha256', type: 'bytea', select: false }) secretSha256: Buffer;
  @Column({ name: 'created_by', type: 'bigint', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
