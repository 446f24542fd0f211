import type { EntityManager } from '@mikro-orm/postgresql';
import type { CertificateStore, RevocationOutcome, StoredAuthority, StoredCertificate } from '../domain/ports/certificate-store.port';
import type { HubOrm } from './orm';

interface AuthorityRow {
  root_certificate_pem: string;
  encrypted_root_key_pem: string;
  issuing_certificate_pem: string;
  encrypted_issuing_key_pem: string;
  crl_number: string | number;
  root_crl_number: string | number;
  crl_pem: string | null;
  crl_published_at: Date | string | null;
  revision: string | number;
}

interface CertificateRow {
  serial_number: string;
  profile: string;
  subject: string;
  subject_alt_names: string[] | string;
  agency_code: string | null;
  not_before: Date | string;
  not_after: Date | string;
  issued_at: Date | string;
  revoked_at: Date | string | null;
  revocation_reason: string | null;
  certificate_pem: string;
  encrypted_key_pem: string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** Thrown inside a transaction to roll it back when a seal was claimed by another replica first. */
class LostRace extends Error {}

/**
 * The certificate authority's state in PostgreSQL (the server or the embedded one). Every write
 * first takes the authority row's lock and raises its revision, so writes are serialised and a
 * replica that saw revision N reloads exactly the certificates changed after N.
 */
export class DatabaseCertificateStore implements CertificateStore {
  constructor(private readonly orm: HubOrm) {}

  async authority(): Promise<StoredAuthority | undefined> {
    const [row] = await this.orm.em.fork().execute<AuthorityRow[]>('select * from ca_authority where id = 1');
    if (!row) return undefined;
    return {
      rootCertificatePem: row.root_certificate_pem,
      encryptedRootKeyPem: row.encrypted_root_key_pem,
      issuingCertificatePem: row.issuing_certificate_pem,
      encryptedIssuingKeyPem: row.encrypted_issuing_key_pem,
      crlNumber: Number(row.crl_number),
      rootCrlNumber: Number(row.root_crl_number),
      crlPem: row.crl_pem,
      crlPublishedAt: row.crl_published_at ? iso(row.crl_published_at) : null,
      revision: Number(row.revision),
    };
  }

  async clear(): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await em.execute('delete from ca_agency_seal');
      await em.execute('delete from ca_certificate');
      await em.execute('delete from ca_authority');
    });
  }

  async create(authority: Omit<StoredAuthority, 'revision'>, certificates: readonly StoredCertificate[]): Promise<boolean> {
    return this.orm.em.fork().transactional(async (em) => {
      const inserted = await em.execute<{ id: number }[]>(
        `insert into ca_authority (id, root_certificate_pem, encrypted_root_key_pem, issuing_certificate_pem, encrypted_issuing_key_pem,
           crl_number, root_crl_number, crl_pem, crl_published_at, revision)
         values (1, ?, ?, ?, ?, ?, ?, ?, ?, 1) on conflict (id) do nothing returning id`,
        [
          authority.rootCertificatePem,
          authority.encryptedRootKeyPem,
          authority.issuingCertificatePem,
          authority.encryptedIssuingKeyPem,
          authority.crlNumber,
          authority.rootCrlNumber,
          authority.crlPem,
          authority.crlPublishedAt,
        ],
      );
      if (inserted.length === 0) return false;
      for (const certificate of certificates) await insertRow(em, certificate, 1);
      return true;
    });
  }

  async changedSince(revision: number): Promise<StoredCertificate[]> {
    const rows = await this.orm.em
      .fork()
      .execute<CertificateRow[]>('select * from ca_certificate where changed_revision > ? order by seq', [revision]);
    return rows.map(fromRow);
  }

  async insert(certificate: StoredCertificate): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => insertRow(em, certificate, await nextRevision(em)));
  }

  async seal(agencyCode: string): Promise<string | undefined> {
    const [row] = await this.orm.em
      .fork()
      .execute<{ serial_number: string }[]>('select serial_number from ca_agency_seal where agency_code = ?', [agencyCode]);
    return row?.serial_number;
  }

  async claimSeal(
    agencyCode: string,
    serialNumber: string,
    replacing: string | undefined,
    certificate?: StoredCertificate,
  ): Promise<boolean> {
    try {
      await this.orm.em.fork().transactional(async (em) => {
        const revision = await nextRevision(em);
        if (certificate) await insertRow(em, certificate, revision);
        const claimed = replacing
          ? await em.execute<{ agency_code: string }[]>(
              'update ca_agency_seal set serial_number = ?, updated_at = now() where agency_code = ? and serial_number = ? returning agency_code',
              [serialNumber, agencyCode, replacing],
            )
          : await em.execute<{ agency_code: string }[]>(
              'insert into ca_agency_seal (agency_code, serial_number) values (?, ?) on conflict (agency_code) do nothing returning agency_code',
              [agencyCode, serialNumber],
            );
        if (claimed.length === 0) throw new LostRace();
      });
      return true;
    } catch (error) {
      if (error instanceof LostRace) return false;
      throw error;
    }
  }

  async revoke(serialNumber: string, at: Date, reason: string): Promise<RevocationOutcome> {
    return this.orm.em.fork().transactional(async (em) => {
      const revision = await nextRevision(em);
      const [row] = await em.execute<{ revoked_at: Date | string | null }[]>(
        'select revoked_at from ca_certificate where serial_number = ? for update',
        [serialNumber],
      );
      if (!row) return { outcome: 'UNKNOWN' } as const;
      if (row.revoked_at) return { outcome: 'ALREADY_REVOKED', revokedAt: iso(row.revoked_at) } as const;
      await em.execute('update ca_certificate set revoked_at = ?, revocation_reason = ?, changed_revision = ? where serial_number = ?', [
        at,
        reason,
        revision,
        serialNumber,
      ]);
      return { outcome: 'REVOKED', revokedAt: at.toISOString() } as const;
    });
  }

  async publishCrl(
    sign: (
      numbers: { crlNumber: number; rootCrlNumber: number },
      revoked: { serialNumber: string; revokedAt: string; reason: string }[],
    ) => string,
    at: Date,
  ): Promise<string> {
    return this.orm.em.fork().transactional(async (em) => {
      const [numbers] = await em.execute<{ crl_number: string; root_crl_number: string }[]>(
        `update ca_authority set crl_number = crl_number + 1, root_crl_number = root_crl_number + 1, revision = revision + 1
         where id = 1 returning crl_number, root_crl_number`,
      );
      if (!numbers) throw new Error('the certificate authority is not in the database');
      const revoked = await em.execute<{ serial_number: string; revoked_at: Date | string; revocation_reason: string | null }[]>(
        'select serial_number, revoked_at, revocation_reason from ca_certificate where revoked_at is not null order by seq',
      );
      const pem = sign(
        { crlNumber: Number(numbers.crl_number), rootCrlNumber: Number(numbers.root_crl_number) },
        revoked.map((r) => ({ serialNumber: r.serial_number, revokedAt: iso(r.revoked_at), reason: r.revocation_reason ?? 'unspecified' })),
      );
      await em.execute('update ca_authority set crl_pem = ?, crl_published_at = ? where id = 1', [pem, at]);
      return pem;
    });
  }
}

/** Locks the authority row (serialising writers) and returns its next revision. */
async function nextRevision(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ revision: string }[]>('update ca_authority set revision = revision + 1 where id = 1 returning revision');
  if (!row) throw new Error('the certificate authority is not in the database');
  return Number(row.revision);
}

async function insertRow(em: EntityManager, c: StoredCertificate, revision: number): Promise<void> {
  await em.execute(
    `insert into ca_certificate (serial_number, profile, subject, subject_alt_names, agency_code, not_before, not_after, issued_at,
       revoked_at, revocation_reason, certificate_pem, encrypted_key_pem, changed_revision)
     values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      c.serialNumber,
      c.profile,
      c.subject,
      JSON.stringify(c.subjectAltNames),
      c.agencyCode,
      c.notBefore,
      c.notAfter,
      c.issuedAt,
      c.revokedAt,
      c.reason,
      c.certificatePem,
      c.encryptedKeyPem,
      revision,
    ],
  );
}

function fromRow(row: CertificateRow): StoredCertificate {
  return {
    serialNumber: row.serial_number,
    profile: row.profile,
    subject: row.subject,
    subjectAltNames: typeof row.subject_alt_names === 'string' ? (JSON.parse(row.subject_alt_names) as string[]) : row.subject_alt_names,
    agencyCode: row.agency_code,
    notBefore: iso(row.not_before),
    notAfter: iso(row.not_after),
    issuedAt: iso(row.issued_at),
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
    reason: row.revocation_reason,
    certificatePem: row.certificate_pem,
    encryptedKeyPem: row.encrypted_key_pem,
  };
}
