import type { JWK } from 'jose';
import type { HubOrm } from './orm';

interface Row {
  kid: string;
  alg: string;
  public_jwk: JWK;
  encrypted_private_key: string;
  activated_at: string | null;
  retired_at: string | null;
}

/** Token signing keys in the database, so every gateway replica signs and verifies with the same ring. */
export class SigningKeyRepository {
  constructor(private readonly orm: HubOrm) {}

  async list() {
    const rows = await this.orm.em.fork().execute<Row[]>('select * from token_signing_key order by created_at');
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      publicJwk: row.public_jwk,
      encryptedPrivateKey: row.encrypted_private_key,
      activatedAt: row.activated_at ? new Date(row.activated_at) : null,
      retiredAt: row.retired_at ? new Date(row.retired_at) : null,
    }));
  }

  async insert(key: { kid: string; alg: string; publicJwk: JWK; encryptedPrivateKey: string }): Promise<void> {
    await this.orm.em
      .fork()
      .execute('insert into token_signing_key (kid, alg, public_jwk, encrypted_private_key) values (?, ?, ?, ?)', [
        key.kid,
        key.alg,
        JSON.stringify(key.publicJwk),
        key.encryptedPrivateKey,
      ]);
  }

  async activate(kid: string, at: Date): Promise<void> {
    await this.orm.em.fork().execute('update token_signing_key set activated_at = ? where kid = ?', [at, kid]);
  }

  async retire(kid: string, at: Date): Promise<void> {
    await this.orm.em.fork().execute('update token_signing_key set retired_at = ? where kid = ? and retired_at is null', [at, kid]);
  }
}
