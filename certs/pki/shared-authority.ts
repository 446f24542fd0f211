import { systemClock } from '../../domain/clock';
import { InvalidInputError, NotFoundError } from '../../domain/errors';
import type { CertificateStore, StoredAuthority, StoredCertificate } from '../../domain/ports/certificate-store.port';
import {
  CertificateAuthority,
  directoryFiles,
  memoryFiles,
  type AuthorityChange,
  type AuthorityFiles,
  type AuthorityIndex,
  type AuthoritySettings,
  type CertificateRecord,
  type IssueOptions,
} from './certificate-authority';
import { REVOCATION_REASONS, type CertificateProfile, type RevocationReason } from './x509';

/** How a CA came to be in the database when it was opened. */
export type SharedAuthorityOrigin = 'existing' | 'imported' | 'created';

/** Reports a write-through that failed (the change stays in this replica's memory only). */
export type WriteFailure = (error: unknown, change: AuthorityChange) => void;

/** The agency's e-identifier code in an organisation certificate's subject, if it names one. */
export function agencyCodeOf(subject: string): string | null {
  return /(?:^|, )organizationIdentifier=([^,]+)/.exec(subject)?.[1] ?? null;
}

function stored(record: CertificateRecord, certificatePem: string, encryptedKeyPem: string | undefined): StoredCertificate {
  return {
    serialNumber: record.serialNumber,
    profile: record.profile,
    subject: record.subject,
    subjectAltNames: record.subjectAltNames ?? [],
    agencyCode: record.profile === 'organisation-signing' ? agencyCodeOf(record.subject) : null,
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    issuedAt: record.issuedAt,
    revokedAt: record.revokedAt ?? null,
    reason: record.reason ?? null,
    certificatePem,
    encryptedKeyPem: encryptedKeyPem ?? null,
  };
}

function recordOf(c: StoredCertificate): CertificateRecord {
  return {
    serialNumber: c.serialNumber,
    profile: c.profile as CertificateProfile,
    subject: c.subject,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    issuedAt: c.issuedAt,
    status: c.revokedAt ? 'REVOKED' : 'VALID',
    ...(c.revokedAt ? { revokedAt: c.revokedAt, reason: (c.reason ?? 'unspecified') as RevocationReason } : {}),
    hasKey: c.encryptedKeyPem !== null,
    ...(c.subjectAltNames.length ? { subjectAltNames: c.subjectAltNames } : {}),
  };
}

/** A CA's files (a folder, or one created in memory) as rows: what is imported into the database. */
function rowsOf(files: AuthorityFiles): { authority: Omit<StoredAuthority, 'revision'>; certificates: StoredCertificate[] } {
  const read = (name: string) => files.read(name) ?? '';
  const index = JSON.parse(read('index.json')) as AuthorityIndex;
  return {
    authority: {
      rootCertificatePem: read('root.crt.pem'),
      encryptedRootKeyPem: read('root.key.pem'),
      issuingCertificatePem: read('issuing.crt.pem'),
      encryptedIssuingKeyPem: read('issuing.key.pem'),
      crlNumber: index.crlNumber,
      rootCrlNumber: index.rootCrlNumber,
      crlPem: files.read('crl.pem') ?? null,
      crlPublishedAt: index.crlPublishedAt ?? null,
    },
    certificates: index.certificates.map((r) =>
      stored(r, read(`issued/${r.serialNumber}.crt.pem`), r.hasKey ? files.read(`issued/${r.serialNumber}.key.pem`) : undefined),
    ),
  };
}

/**
 * The hub's certificate authority shared by every replica through the database. The signing code
 * keeps using a `CertificateAuthority` (`authority`), synchronous as before, over an in-memory copy
 * of the database's state; this class keeps that copy current (a revision number: one query tells
 * whether anything changed) and writes every change through. What must be decided once across
 * replicas goes to the database first: an agency's seal (claimed under a primary key, the loser
 * uses the winner's), revocations and CRL numbers (under the authority row's lock).
 */
export class SharedCertificateAuthority {
  readonly authority: CertificateAuthority;
  private revision = 0;
  private crlPublishedAt: string | null = null;
  private pending: Promise<void> = Promise.resolve();
  private capturing: AuthorityChange[] | undefined;
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Seals issued in memory whose claim is under way. */
  private readonly unconfirmed = new Set<string>();

  private constructor(
    private readonly store: CertificateStore,
    private readonly settings: AuthoritySettings,
    private readonly files: AuthorityFiles,
    private readonly onWriteFailure: WriteFailure,
  ) {
    this.authority = CertificateAuthority.open({ ...settings, files, journal: (change) => this.changed(change) });
  }

  /**
   * Opens the database's CA. The first replica to find none creates it: from the CA folder of its
   * data directory when there is one (`hub pki init` before, or a hub of an earlier version: its
   * root stays the trust anchor), otherwise anew; a replica that loses that race opens the winner's.
   */
  static async open(
    store: CertificateStore,
    settings: AuthoritySettings,
    onWriteFailure: WriteFailure = () => undefined,
    { create = true, fresh = false }: { create?: boolean; fresh?: boolean } = {},
  ): Promise<{ shared: SharedCertificateAuthority; origin: SharedAuthorityOrigin }> {
    let origin: SharedAuthorityOrigin = 'existing';
    let authority = await store.authority();
    if (!authority) {
      const folder = !fresh && CertificateAuthority.exists(settings.dir) ? directoryFiles(settings.dir) : undefined;
      if (!folder && !create) {
        throw new NotFoundError('There is no certificate authority in the database yet: run `hub pki init`.', {
          reason: 'PKI.NOT_INITIALISED',
        });
      }
      // Opening checks the passphrase before anything is copied.
      if (folder) CertificateAuthority.open(settings);
      const files = folder ?? memoryFiles();
      if (!folder) CertificateAuthority.init({ ...settings, files });
      const rows = rowsOf(files);
      if (await store.create(rows.authority, rows.certificates)) origin = folder ? 'imported' : 'created';
      authority = (await store.authority())!;
    }
    const files = memoryFiles({
      'root.crt.pem': authority.rootCertificatePem,
      'root.key.pem': authority.encryptedRootKeyPem,
      'issuing.crt.pem': authority.issuingCertificatePem,
      'issuing.key.pem': authority.encryptedIssuingKeyPem,
      'crl.pem': authority.crlPem ?? '',
      'index.json': JSON.stringify({
        version: 1,
        crlNumber: authority.crlNumber,
        rootCrlNumber: authority.rootCrlNumber,
        ...(authority.crlPublishedAt ? { crlPublishedAt: authority.crlPublishedAt } : {}),
        certificates: [],
      } satisfies AuthorityIndex),
    });
    const shared = new SharedCertificateAuthority(store, settings, files, onWriteFailure);
    await shared.refresh();
    if (!authority.crlPem) await shared.publishCrl();
    return { shared, origin };
  }

  private now(): Date {
    return (this.settings.clock ?? systemClock).now();
  }

  /** A change made through `authority` (a certificate the hub issued for itself, a revocation): written through, in order. */
  private changed(change: AuthorityChange): void {
    if (this.capturing) {
      this.capturing.push(change);
      return;
    }
    this.pending = this.pending.then(() => this.writeThrough(change)).catch((error) => this.onWriteFailure(error, change));
  }

  private async writeThrough(change: AuthorityChange): Promise<void> {
    if (change.kind === 'issued') {
      await this.store.insert(stored(change.record, change.certificatePem, change.encryptedKeyPem));
      return;
    }
    await this.store.revoke(change.record.serialNumber, new Date(change.record.revokedAt!), change.record.reason ?? 'unspecified');
    await this.publishCrl();
  }

  /** Waits for the changes made through `authority` to be in the database. */
  async flush(): Promise<void> {
    await this.pending;
  }

  /** Runs `work` on the in-memory CA, keeping its changes for the caller to write instead of writing them behind. */
  private capture<T>(work: () => T): { result: T; changes: AuthorityChange[] } {
    this.capturing = [];
    try {
      return { result: work(), changes: this.capturing };
    } finally {
      this.capturing = undefined;
    }
  }

  /** Loads what other replicas changed since the last look (one query when nothing did). */
  refresh(): Promise<void> {
    // One refresh at a time; a caller arriving during one waits for it and then looks again.
    const run = async (): Promise<void> => {
      const authority = await this.store.authority();
      if (!authority || authority.revision === this.revision) return;
      const changed = await this.store.changedSince(this.revision);
      const index = JSON.parse(this.files.read('index.json')!) as AuthorityIndex;
      const position = new Map(index.certificates.map((c, i) => [c.serialNumber, i]));
      for (const certificate of changed) {
        this.files.write(`issued/${certificate.serialNumber}.crt.pem`, certificate.certificatePem);
        if (certificate.encryptedKeyPem)
          this.files.write(`issued/${certificate.serialNumber}.key.pem`, certificate.encryptedKeyPem, { secret: true });
        const at = position.get(certificate.serialNumber);
        if (at === undefined) {
          position.set(certificate.serialNumber, index.certificates.length);
          index.certificates.push(recordOf(certificate));
        } else index.certificates[at] = recordOf(certificate);
      }
      index.crlNumber = authority.crlNumber;
      index.rootCrlNumber = authority.rootCrlNumber;
      if (authority.crlPublishedAt) index.crlPublishedAt = authority.crlPublishedAt;
      if (authority.crlPem) this.files.write('crl.pem', authority.crlPem);
      this.files.write('index.json', JSON.stringify(index));
      this.crlPublishedAt = authority.crlPublishedAt;
      this.revision = authority.revision;
    };
    const previous = this.refreshing ?? Promise.resolve();
    const next = previous.then(run, run);
    this.refreshing = next;
    return next;
  }

  /** Drops a certificate issued in memory that never reached the database (a seal race lost). */
  private forget(serialNumber: string): void {
    const index = JSON.parse(this.files.read('index.json')!) as AuthorityIndex;
    index.certificates = index.certificates.filter((c) => c.serialNumber !== serialNumber);
    this.files.write('index.json', JSON.stringify(index));
  }

  /** Keeps the copy current every `intervalMs` (revocations made on other replicas reach mTLS checks). */
  startSync(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => void this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /**
   * The serial number of the seal an agency signs with now: its current one while usable, else a
   * usable organisation certificate already issued for it, else a new one. Replicas racing for the
   * first seal of an agency both end with the one that was claimed first.
   */
  async sealFor(agency: { code: string; name: string }): Promise<string> {
    const current = await this.store.seal(agency.code);
    // After reading the seal: its certificate, committed before it, is then in the copy.
    await this.refresh();
    const usable = (serial: string) => {
      if (this.unconfirmed.has(serial)) return false;
      try {
        return this.authority.usable(this.authority.record(serial));
      } catch {
        return false;
      }
    };
    if (current && usable(current)) return current;
    const marker = `organizationIdentifier=${agency.code},`;
    const existing = this.authority
      .list()
      .find(
        (r) =>
          r.profile === 'organisation-signing' && `${r.subject},`.includes(marker) && r.serialNumber !== current && usable(r.serialNumber),
      );
    let serial = existing?.serialNumber;
    let certificate: StoredCertificate | undefined;
    if (!serial) {
      const { result, changes } = this.capture(() =>
        this.authority.issue({
          profile: 'organisation-signing',
          subject: { commonName: agency.name, organisation: agency.name, organisationIdentifier: agency.code },
        }),
      );
      const issued = changes.find((c) => c.kind === 'issued');
      serial = result.record.serialNumber;
      // Until claimed, no other call may take it for an agency's seal: it may never reach the database.
      this.unconfirmed.add(serial);
      certificate = issued?.kind === 'issued' ? stored(issued.record, issued.certificatePem, issued.encryptedKeyPem) : undefined;
    }
    let claimed = false;
    try {
      claimed = await this.store.claimSeal(agency.code, serial, current, certificate);
    } finally {
      this.unconfirmed.delete(serial);
      if (!claimed && certificate) this.forget(serial);
    }
    if (claimed) {
      await this.refresh();
      return serial;
    }
    // Another call claimed it first: the seal both use is that one.
    const winner = await this.store.seal(agency.code);
    await this.refresh();
    if (!winner) throw new Error(`the seal of agency ${agency.code} was claimed and is gone`);
    return winner;
  }

  /** Issues a certificate and writes it to the database before answering. */
  async issue(options: IssueOptions): Promise<{ record: CertificateRecord; certificatePem: string }> {
    await this.refresh();
    const { result, changes } = this.capture(() => this.authority.issue(options));
    for (const change of changes)
      if (change.kind === 'issued') await this.store.insert(stored(change.record, change.certificatePem, change.encryptedKeyPem));
    await this.refresh();
    return result;
  }

  /** Revokes a certificate issued by any replica, and publishes the CRL at once. */
  async revoke(serialNumber: string, reason: RevocationReason = 'unspecified', at?: Date): Promise<CertificateRecord> {
    if (!(reason in REVOCATION_REASONS)) {
      throw new InvalidInputError(`Unknown revocation reason "${reason}"; use one of ${Object.keys(REVOCATION_REASONS).join(', ')}.`, {
        reason: 'PKI.UNKNOWN_REASON',
      });
    }
    await this.flush();
    const serial = serialNumber.toLowerCase();
    const outcome = await this.store.revoke(serial, at ?? this.now(), reason);
    if (outcome.outcome === 'UNKNOWN') {
      throw new NotFoundError(`No certificate with serial number ${serialNumber} was issued here.`, { reason: 'PKI.UNKNOWN_SERIAL' });
    }
    if (outcome.outcome === 'ALREADY_REVOKED') {
      throw new InvalidInputError(`Certificate ${serialNumber} was already revoked on ${outcome.revokedAt}.`, {
        reason: 'PKI.ALREADY_REVOKED',
      });
    }
    await this.publishCrl();
    return this.authority.record(serial);
  }

  /** A new CRL numbered from the shared counter, listing every revocation in the database. */
  async publishCrl(): Promise<string> {
    const pem = await this.store.publishCrl((numbers, revoked) => this.authority.signCrl(numbers, revoked), this.now());
    await this.refresh();
    return pem;
  }

  /** Re-publishes the CRL when the one in the database is more than half-way to its next update. */
  async refreshCrlIfDue(): Promise<boolean> {
    await this.refresh();
    if (!this.authority.crlDue(this.crlPublishedAt ?? undefined)) return false;
    await this.publishCrl();
    return true;
  }

  /** The CRL as the database has it now (revocations made on any replica). */
  async crlPem(): Promise<string> {
    await this.flush();
    await this.refresh();
    return this.authority.crlPem();
  }

  /** Issued certificates, newest first, as the database has them now. */
  async list(): Promise<CertificateRecord[]> {
    await this.refresh();
    return this.authority.list();
  }
}
