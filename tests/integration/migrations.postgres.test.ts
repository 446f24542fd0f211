import { Client } from 'pg';
import { migrate } from '../../store/orm';
import type { Store } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { dropSchema, freshSchemaName, openTestStore } from '../support/database';
import { testEnv } from '../support/environment';

async function tables(schema: string): Promise<string[]> {
  const client = new Client({ connectionString: testEnv('databaseUrl') });
  await client.connect();
  try {
    const result = await client.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by table_name',
      [schema],
    );
    return result.rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

describe('migrations on a real PostgreSQL server', () => {
  const schema = freshSchemaName('migrations');
  let store: Store;

  beforeAll(async () => {
    expect(await tables(schema)).toEqual([]);
    store = await openTestStore(schema);
  });

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('creates every table from the committed migrations', async () => {
    expect(await tables(schema)).toEqual([
      'agency',
      'api_client',
      'audit_log',
      'ca_agency_seal',
      'ca_authority',
      'ca_certificate',
      'citizen_session',
      'client_assertion_use',
      'consent',
      'consent_authorization',
      'consent_event',
      'consent_purpose',
      'consumed_event',
      'document',
      'document_status_change',
      'document_use',
      'dossier',
      'dossier_activity',
      'dossier_component',
      'dossier_daily_statistics',
      'dossier_register_sequence',
      'dossier_sequence',
      'dossier_step',
      'identity_sign_in',
      'outbox_event',
      'outbox_relay_lease',
      'procedure',
      'schema_migration',
      'token_signing_key',
      'trusted_document',
    ]);
    const rows = await store.orm.em.fork().execute<{ name: string }[]>('select name from schema_migration order by id');
    expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('is idempotent: a second run applies nothing', async () => {
    expect(await migrate(store.orm)).toEqual([]);
  });

  it('matches the entities: the ORM finds no difference to apply', async () => {
    // The ORM's introspection reads every schema of the database, and other test files drop theirs
    // meanwhile (a vanished table reads as nulls): ask again, as the migrator does at start.
    let diff = '';
    for (let attempt = 1; ; attempt += 1) {
      try {
        diff = await store.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: true });
        break;
      } catch (error) {
        if (attempt === 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    // Only index naming may differ; no column, type or table is missing or different.
    const substantive = diff
      .split('\n')
      .filter(
        (line) =>
          line.trim() &&
          !/^(create|drop) index|^alter index/i.test(line.trim()) &&
          !/^(alter table .* (add|drop) constraint)/i.test(line.trim()),
      );
    expect(substantive).toEqual([]);
  });

  it('enforces the rules the migration declares', async () => {
    const em = store.orm.em.fork();
    await expect(
      em.execute(`insert into dossier (code, procedure_code, receiving_agency_code, applicant_id, applicant_kind, channel, status, received_at)
                  values ('X-260101-0001', 'missing', 'missing', '1', 'CITIZEN', 'FAX', 'RECEIVED', now())`),
    ).rejects.toThrow(/violates (check|foreign key) constraint/);
  });

  it('keeps documents kept before the vault’s memory: issued when signed, their source from their kind, their bytes in place', async () => {
    const since = MIGRATIONS.findIndex((m) => m.name === 'Migration20261203VaultMemory');
    // Down to it, itself included.
    await store.orm.getMigrator().down({ to: 'Migration20261203VaultMemory' });
    const em = store.orm.em.fork();
    await em.execute(`insert into agency (code, name, level) values ('000.99.31.H46', 'UBND xã thử', 'commune') on conflict do nothing`);
    const signedAt = '2026-11-30T01:02:03.000Z';
    for (const [code, kind] of [
      ['000.99.31.H46-SY-261130-AAAAAAAA', 'DIGITIZED_COPY'],
      ['000.99.31.H46-KQ-261130-BBBBBBBB', 'RESULT'],
    ] as const) {
      await em.execute(
        `insert into document (code, kind, title, media_type, owner_id, agency_code, content, sha256, signature, signer_serial, signed_at, access_key_hash, created_by)
         values (?, ?, 'Giấy cũ', 'application/pdf', '001090000001', '000.99.31.H46', ?, ?, ?, '01', ?, 'x', 'test')`,
        [code, kind, Buffer.from('%PDF-old'), 'a'.repeat(64), Buffer.from('sig'), signedAt],
      );
    }
    // A result without its dossier cannot be typed DOSSIER_RESULT: give the old result one.
    await expect(migrate(store.orm)).rejects.toThrow(/document_result_has_dossier/);
    await em.execute(`delete from document where kind = 'RESULT'`);
    expect(await migrate(store.orm)).toEqual(MIGRATIONS.slice(since).map((m) => m.name));
    const rows = await em.execute<
      {
        issued_when_signed: boolean;
        source: string;
        status: string;
        size_bytes: string;
        storage_key: string | null;
        type_code: string | null;
      }[]
    >('select issued_at = signed_at as issued_when_signed, source, status, size_bytes, storage_key, type_code from document');
    expect(rows).toEqual([
      { issued_when_signed: true, source: 'DESK_SCAN', status: 'VALID', size_bytes: '8', storage_key: null, type_code: null },
    ]);
    await em.execute('delete from document');
  });

  it('rolls back and forward again', async () => {
    await store.orm.getMigrator().down({ to: 0 });
    expect(await tables(schema)).toEqual(['schema_migration']);
    expect(await migrate(store.orm)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await tables(schema)).toContain('dossier');
  });
});
