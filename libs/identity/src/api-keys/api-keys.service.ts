import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError, Sql } from '#platform';
import type { ApiKeyPrincipal } from '../auth/principal';
import { ApiKeyEntity } from './api-key.entity';

/**
 * Keys look like `ik_<prefix>_<secret>`: 8 random hex characters to look the key up by, then 32
 * random bytes (base64url). Only SHA-256 of the whole key is stored; the key is shown once.
 */
const KEY = /^ik_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

/** Runs when a key is revoked, before the revocation is answered (what the key made must end with it). */
export type ApiKeyRevocationListener = (apiKeyId: string) => Promise<void>;

export interface IssuedApiKey {
  entity: ApiKeyEntity;
  key: string;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

@Injectable()
export class ApiKeysService {
  /** Compared against when the prefix is unknown, so a miss costs the same as a wrong secret. */
  private readonly decoy = sha256(randomBytes(32).toString('hex'));
  private readonly revocationListeners: ApiKeyRevocationListener[] = [];

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly sql: Sql,
  ) {}

  async issue(name: string, createdBy: string | null): Promise<IssuedApiKey> {
    for (;;) {
      const prefix = randomBytes(4).toString('hex');
      const key = `ik_${prefix}_${randomBytes(32).toString('base64url')}`;
      const rows: ApiKeyEntity[] = await this.keys.query(
        `INSERT INTO api_keys (name, prefix, secret_sha256, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (prefix) DO NOTHING RETURNING id`,
        [name, prefix, sha256(key), createdBy],
      );
      if (rows.length) return { entity: await this.keys.findOneByOrFail({ id: String(rows[0].id) }), key };
    }
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.keys.find({ order: { id: 'ASC' } });
  }

  /**
   * Modules that hold something a key made (webhook subscriptions) register here; identity does not
   * know them (they depend on it, not the reverse).
   */
  onRevoke(listener: ApiKeyRevocationListener): void {
    this.revocationListeners.push(listener);
  }

  /** Revokes the key, then awaits every listener (also when it already was revoked: they are idempotent). */
  async revoke(id: string): Promise<void> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (result.affected === 0 && !(await this.keys.existsBy({ id }))) throw new NotFoundError('API key not found');
    for (const listener of this.revocationListeners) await listener(id);
  }

  /** Whether the key exists and is revoked. */
  async isRevoked(id: string): Promise<boolean> {
    const rows = await this.sql.query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE id = $1`, [id]);
    return rows[0]?.revoked ?? false;
  }

  /** The integration an `x-api-key` header speaks for, or null (a Bearer token is never taken for a key). */
  async authenticate(presented: unknown): Promise<ApiKeyPrincipal | null> {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 200) return null;
    const id = await this.verify(presented);
    return id ? { type: 'api_key', id } : null;
  }

  /** The id of the live key `presented` is, or null: unknown, malformed and revoked keys alike. */
  private async verify(presented: string): Promise<string | null> {
    const match = KEY.exec(presented);
    const rows = match
      ? await this.sql.query<{ id: string; secret_sha256: Buffer; revoked_at: Date | null }>(`SELECT id::text, secret_sha256, revoked_at FROM api_keys WHERE prefix = $1`, [match[1]])
      : [];
    const row = rows[0];
    const equal = timingSafeEqual(sha256(presented), row?.secret_sha256 ?? this.decoy);
    return row && equal && !row.revoked_at ? row.id : null;
  }
}
