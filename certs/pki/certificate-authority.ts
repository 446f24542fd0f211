import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type forge from 'node-forge';
import { systemClock, type Clock } from '../../domain/clock';
import { ConfigurationError, InvalidInputError, NotFoundError } from '../../domain/errors';
import type { HubConfig } from '../../platform/config';
import {
  CERTIFICATE_PROFILES,
  REVOCATION_REASONS,
  certificateFromPem,
  certificateToPem,
  createCrl,
  describeName,
  generateKeyPair,
  hasProfileKeyType,
  issueCertificate,
  type CertificateProfile,
  type RevocationReason,
  type SubjectName,
} from './x509';

export interface CertificateRecord {
  serialNumber: string;
  profile: CertificateProfile;
  /** The subject as one line, e.g. "CN=…, O=…, C=VN". */
  subject: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  status: 'VALID' | 'REVOKED';
  revokedAt?: string;
  reason?: RevocationReason;
  /** Whether the hub generated and keeps the private key (encrypted, beside the certificate). */
  hasKey: boolean;
  /** DNS names and IP addresses (TLS server certificates). */
  subjectAltNames?: string[];
}

export interface AuthorityIndex {
  version: 1;
  /** Number of the issuing CA's last CRL (RFC 5280 cRLNumber), and of the root's. */
  crlNumber: number;
  rootCrlNumber: number;
  /** When crl.pem was last written. */
  crlPublishedAt?: string;
  certificates: CertificateRecord[];
}

export interface AuthoritySettings {
  /** Folder of the CA: certificates, encrypted keys, the index and the CRLs. */
  dir: string;
  /** Encrypts every private key at rest (PKCS#8: PBES2, PBKDF2 and AES-256-CBC, as Node writes it). */
  passphrase: string;
  /** Where the CRL is published (written into each certificate's CRL distribution point). */
  crlUrl: string;
  /** The organisation running the CA, in the CA certificates' subjects. */
  organisation: string;
  clock?: Clock;
  /**
   * Where the CA's files are kept: the folder `dir` by default; the hub keeps them in memory,
   * loaded from and written through to the database (`SharedCertificateAuthority`).
   */
  files?: AuthorityFiles;
  /** Told of every certificate issued or revoked, after it is written (the write-through to the database). */
  journal?: (change: AuthorityChange) => void;
}

/** What changed in a CA: a certificate issued (with its key, still encrypted, if the hub holds it) or revoked. */
export type AuthorityChange =
  | { kind: 'issued'; record: CertificateRecord; certificatePem: string; encryptedKeyPem?: string }
  | { kind: 'revoked'; record: CertificateRecord };

/**
 * The CA's files by name (`index.json`, `root.key.pem`, `issued/<serial>.crt.pem`…). Keys are
 * written and read encrypted; only this module decrypts them.
 */
export interface AuthorityFiles {
  read(name: string): string | undefined;
  write(name: string, content: string, options?: { secret?: boolean }): void;
  /** Changes whenever the file is written again (the index is parsed again only then). */
  version(name: string): string | undefined;
}

/** The CA's files in a folder of the data directory (keys readable by the owner only). */
export function directoryFiles(dir: string): AuthorityFiles {
  const file = (name: string) => path.join(dir, name);
  return {
    read: (name) => (existsSync(file(name)) ? readFileSync(file(name), 'utf8') : undefined),
    write(name, content, options = {}) {
      mkdirSync(path.dirname(file(name)), { recursive: true, mode: 0o700 });
      writeAtomically(file(name), content, options.secret ? 0o600 : 0o644);
    },
    version(name) {
      if (!existsSync(file(name))) return undefined;
      const { ino, mtimeMs, size } = statSync(file(name));
      return `${ino}:${mtimeMs}:${size}`;
    },
  };
}

/** The CA's files in memory only (the hub's copy of the database's CA). */
export function memoryFiles(initial: Record<string, string> = {}): AuthorityFiles & { names(): string[] } {
  const contents = new Map(Object.entries(initial));
  const versions = new Map<string, number>();
  let counter = 0;
  return {
    read: (name) => contents.get(name),
    write(name, content) {
      contents.set(name, content);
      versions.set(name, ++counter);
    },
    version: (name) => (contents.has(name) ? `${versions.get(name) ?? 0}` : undefined),
    names: () => [...contents.keys()],
  };
}

export interface IssueOptions {
  profile: CertificateProfile;
  subject: SubjectName;
  subjectAltNames?: readonly string[];
  /** A key the holder generated (PEM SPKI): the hub then keeps no private key. */
  publicKeyPem?: string;
  /** Overrides of the validity period (tests of expired or not-yet-valid certificates). */
  notBefore?: Date;
  notAfter?: Date;
}

/** Where the certificate authority lives and how it is named, from configuration. */
export function authoritySettingsFor(
  config: Pick<HubConfig, 'DATA_DIR' | 'PKI_KEY_PASSPHRASE' | 'PUBLIC_URL' | 'PKI_ORGANISATION'>,
  clock: Clock = systemClock,
): AuthoritySettings {
  return {
    dir: path.join(config.DATA_DIR, 'pki'),
    passphrase: config.PKI_KEY_PASSPHRASE,
    crlUrl: new URL('/pki/crl.pem', config.PUBLIC_URL).toString(),
    organisation: config.PKI_ORGANISATION,
    clock,
  };
}

/** Certificates the hub signs with itself (seals, TSA, TLS) are replaced this long before they expire. */
export const RENEW_BEFORE_EXPIRY_MS = 30 * 86_400_000;

/** How long a CRL is good for: the issuing CA's is re-published at least weekly, the root's yearly. */
const ISSUING_CRL_DAYS = 7;
const ROOT_CRL_DAYS = 365;
const DAY = 86_400_000;
const BACKDATE_MS = 5 * 60_000;

function writeAtomically(file: string, content: string, mode = 0o644): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, file);
}

/**
 * The hub's certificate authority: a root CA that signs one issuing CA, which issues agency signing
 * certificates (organisation and authorised person), TLS server and client certificates, revokes
 * them and publishes CRLs. Everything lives in one folder of the data directory; private keys are
 * PKCS#8 encrypted under the configured passphrase and never leave it in clear.
 */
export class CertificateAuthority {
  private index: { version: string; index: AuthorityIndex } | undefined;

  private constructor(
    private readonly settings: AuthoritySettings,
    private readonly root: { certificate: forge.pki.Certificate; privateKey: KeyObject },
    private readonly issuing: { certificate: forge.pki.Certificate; privateKey: KeyObject },
  ) {}

  static exists(dir: string): boolean {
    return existsSync(path.join(dir, 'index.json'));
  }

  private static filesOf(settings: AuthoritySettings): AuthorityFiles {
    return settings.files ?? directoryFiles(settings.dir);
  }

  private static initialised(settings: AuthoritySettings): boolean {
    return CertificateAuthority.filesOf(settings).read('index.json') !== undefined;
  }

  /** Creates the root and issuing CAs and the first CRLs. Refuses to replace an existing CA unless `force`. */
  static init(settings: AuthoritySettings, { force = false }: { force?: boolean } = {}): CertificateAuthority {
    if (CertificateAuthority.initialised(settings) && !force) {
      throw new InvalidInputError(
        `A certificate authority already exists in ${settings.dir}; pass --force to replace it (every certificate it issued stops verifying).`,
        {
          reason: 'PKI.ALREADY_INITIALISED',
        },
      );
    }
    if (!settings.files) mkdirSync(path.join(settings.dir, 'issued'), { recursive: true, mode: 0o700 });
    const now = (settings.clock ?? systemClock).now();
    const rootKeys = generateKeyPair('root-ca');
    const rootCertificate = issueCertificate({
      profile: 'root-ca',
      subject: { commonName: `${settings.organisation} Root CA`, organisation: settings.organisation },
      publicKey: rootKeys.publicKey,
      selfSigningKey: rootKeys.privateKey,
      notBefore: now,
    });
    const issuingKeys = generateKeyPair('issuing-ca');
    const issuingCertificate = issueCertificate({
      profile: 'issuing-ca',
      subject: { commonName: `${settings.organisation} Issuing CA`, organisation: settings.organisation },
      publicKey: issuingKeys.publicKey,
      issuer: { certificate: rootCertificate, privateKey: rootKeys.privateKey },
      notBefore: now,
      crlUrl: settings.crlUrl,
    });
    const authority = new CertificateAuthority(
      settings,
      { certificate: rootCertificate, privateKey: rootKeys.privateKey },
      { certificate: issuingCertificate, privateKey: issuingKeys.privateKey },
    );
    authority.writeKey('root.key.pem', rootKeys.privateKey);
    authority.writeKey('issuing.key.pem', issuingKeys.privateKey);
    authority.files.write('root.crt.pem', certificateToPem(rootCertificate));
    authority.files.write('issuing.crt.pem', certificateToPem(issuingCertificate));
    authority.writeIndex({ version: 1, crlNumber: 0, rootCrlNumber: 0, certificates: [] });
    authority.publishCrl();
    return authority;
  }

  /** Opens an existing CA; a wrong passphrase is a configuration error naming the setting. */
  static open(settings: AuthoritySettings): CertificateAuthority {
    if (!CertificateAuthority.initialised(settings)) {
      throw new NotFoundError(`There is no certificate authority in ${settings.dir} yet: run \`hub pki init\`.`, {
        reason: 'PKI.NOT_INITIALISED',
      });
    }
    const files = CertificateAuthority.filesOf(settings);
    const read = (name: string) => {
      const content = files.read(name);
      if (content === undefined) {
        throw new ConfigurationError(`The certificate authority has no ${name}.`, { reason: 'PKI.INCOMPLETE' });
      }
      return content;
    };
    const key = (name: string) => {
      try {
        return createPrivateKey({ key: read(name), format: 'pem', passphrase: settings.passphrase });
      } catch (error) {
        throw new ConfigurationError(`PKI_KEY_PASSPHRASE does not open the certificate authority's key ${name}.`, {
          reason: 'PKI.WRONG_PASSPHRASE',
          cause: error,
        });
      }
    };
    return new CertificateAuthority(
      settings,
      { certificate: certificateFromPem(read('root.crt.pem')), privateKey: key('root.key.pem') },
      { certificate: certificateFromPem(read('issuing.crt.pem')), privateKey: key('issuing.key.pem') },
    );
  }

  /** Opens the CA, creating it first when there is none (the embedded default). */
  static openOrInit(settings: AuthoritySettings): { authority: CertificateAuthority; created: boolean } {
    if (CertificateAuthority.initialised(settings)) return { authority: CertificateAuthority.open(settings), created: false };
    return { authority: CertificateAuthority.init(settings), created: true };
  }

  private get files(): AuthorityFiles {
    return CertificateAuthority.filesOf(this.settings);
  }

  private readFile(name: string): string {
    const content = this.files.read(name);
    if (content === undefined) throw new NotFoundError(`The certificate authority has no ${name}.`, { reason: 'PKI.MISSING_FILE' });
    return content;
  }

  private now(): Date {
    return (this.settings.clock ?? systemClock).now();
  }

  private writeKey(name: string, key: KeyObject): void {
    const pem = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: this.settings.passphrase }).toString();
    this.files.write(name, pem, { secret: true });
  }

  /**
   * The index as on disk, re-read only when the file changed (each write renames a new file into
   * place): revocation checks on every mTLS call and every signature stay off the disk. Callers
   * must not change it; writers change a copy (`editIndex`).
   */
  private readIndex(): AuthorityIndex {
    const version = this.files.version('index.json');
    const cached = this.index;
    if (cached && version !== undefined && cached.version === version) return cached.index;
    const index = JSON.parse(this.readFile('index.json')) as AuthorityIndex;
    this.index = { version: version ?? '', index };
    return index;
  }

  /** A copy of the index to change and write back. */
  private editIndex(): AuthorityIndex {
    return structuredClone(this.readIndex());
  }

  private writeIndex(index: AuthorityIndex): void {
    this.files.write('index.json', `${JSON.stringify(index, null, 2)}\n`);
  }

  /** Issues a certificate from the issuing CA; with no public key given, generates the key pair and keeps it encrypted. */
  issue(options: IssueOptions): { record: CertificateRecord; certificatePem: string } {
    if (!CERTIFICATE_PROFILES.includes(options.profile) || options.profile.endsWith('-ca')) {
      throw new InvalidInputError(
        `The issuing CA issues ${CERTIFICATE_PROFILES.filter((p) => !p.endsWith('-ca')).join(', ')} certificates, not "${options.profile}".`,
        { reason: 'PKI.UNKNOWN_PROFILE' },
      );
    }
    if (!options.subject.commonName?.trim())
      throw new InvalidInputError('A certificate needs a common name.', { reason: 'PKI.NO_COMMON_NAME' });
    if (options.profile === 'tls-server' && !options.subjectAltNames?.length) {
      throw new InvalidInputError('A TLS server certificate needs at least one DNS name or IP address.', {
        reason: 'PKI.NO_SUBJECT_ALT_NAME',
      });
    }
    const generated = options.publicKeyPem ? undefined : generateKeyPair(options.profile);
    const publicKey = generated?.publicKey ?? createPublicKeyFromPem(options.publicKeyPem!);
    const now = this.now();
    const certificate = issueCertificate({
      profile: options.profile,
      subject: options.subject,
      publicKey,
      issuer: this.issuing,
      // Backdated a little, as CAs do: a signature made by a clock a few seconds behind stays valid.
      notBefore: options.notBefore ?? new Date(now.getTime() - BACKDATE_MS),
      notAfter: options.notAfter,
      subjectAltNames: options.subjectAltNames,
      crlUrl: this.settings.crlUrl,
    });
    const record: CertificateRecord = {
      serialNumber: certificate.serialNumber,
      profile: options.profile,
      subject: describeName(certificate.subject.attributes),
      notBefore: certificate.validity.notBefore.toISOString(),
      notAfter: certificate.validity.notAfter.toISOString(),
      issuedAt: now.toISOString(),
      status: 'VALID',
      hasKey: Boolean(generated),
      ...(options.subjectAltNames?.length ? { subjectAltNames: [...options.subjectAltNames] } : {}),
    };
    const certificatePem = certificateToPem(certificate);
    this.files.write(`issued/${record.serialNumber}.crt.pem`, certificatePem);
    if (generated) this.writeKey(`issued/${record.serialNumber}.key.pem`, generated.privateKey);
    const index = this.editIndex();
    index.certificates.push(record);
    this.writeIndex(index);
    const encryptedKeyPem = generated ? this.readFile(`issued/${record.serialNumber}.key.pem`) : undefined;
    this.settings.journal?.({ kind: 'issued', record: { ...record }, certificatePem, ...(encryptedKeyPem ? { encryptedKeyPem } : {}) });
    return { record, certificatePem };
  }

  /**
   * A certificate the hub itself uses (TLS, time-stamping), named by `names` (the first is its CN; a server
   * certificate also carries them all as alternative names): a valid one that fits and lasts
   * another 30 days is reused, otherwise one is issued. Certificate with the issuing CA after it;
   * key in PEM, in memory only.
   */
  ownCertificate(
    profile: 'tls-server' | 'tls-client' | 'time-stamping',
    names: readonly string[],
  ): { certificatePem: string; keyPem: string; serialNumber: string } {
    const altNames = profile === 'tls-server' ? names : [];
    const reusable = this.list().find(
      (r) =>
        r.profile === profile &&
        this.usable(r) &&
        r.subject.startsWith(`CN=${names[0]},`) &&
        altNames.every((name) => (r.subjectAltNames ?? []).includes(name)) &&
        // A key of another type than the profile's (an RSA TSA of an earlier version) is left as it
        // is, valid for what it signed, and a new certificate issued beside it.
        hasProfileKeyType(profile, this.certificatePem(r.serialNumber)),
    );
    const serialNumber =
      reusable?.serialNumber ??
      this.issue({ profile, subject: { commonName: names[0]! }, ...(altNames.length ? { subjectAltNames: altNames } : {}) }).record
        .serialNumber;
    return {
      serialNumber,
      certificatePem: this.certificatePem(serialNumber) + certificateToPem(this.issuing.certificate),
      keyPem: this.privateKey(serialNumber).export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }

  /**
   * Whether the hub may keep signing with a certificate it issued itself: not revoked, its key
   * held here, valid now and for more than RENEW_BEFORE_EXPIRY_MS. Otherwise it is replaced.
   */
  usable(record: CertificateRecord): boolean {
    const now = this.now().getTime();
    return (
      record.status === 'VALID' &&
      record.hasKey &&
      Date.parse(record.notBefore) <= now &&
      Date.parse(record.notAfter) - RENEW_BEFORE_EXPIRY_MS > now
    );
  }

  /** Issued certificates, newest first. */
  list(): CertificateRecord[] {
    return this.readIndex()
      .certificates.map((c) => ({ ...c }))
      .reverse();
  }

  record(serialNumber: string): CertificateRecord {
    const found = this.readIndex().certificates.find((c) => c.serialNumber === serialNumber.toLowerCase());
    if (!found)
      throw new NotFoundError(`No certificate with serial number ${serialNumber} was issued here.`, { reason: 'PKI.UNKNOWN_SERIAL' });
    return { ...found };
  }

  certificatePem(serialNumber: string): string {
    return this.readFile(`issued/${this.record(serialNumber).serialNumber}.crt.pem`);
  }

  /** The private key the hub generated for a certificate (to sign with it). */
  privateKey(serialNumber: string): KeyObject {
    const record = this.record(serialNumber);
    if (!record.hasKey) throw new NotFoundError(`The hub does not hold the key of certificate ${serialNumber}.`, { reason: 'PKI.NO_KEY' });
    return createPrivateKey({
      key: this.readFile(`issued/${record.serialNumber}.key.pem`),
      format: 'pem',
      passphrase: this.settings.passphrase,
    });
  }

  /** Revokes a certificate (once) and publishes a new CRL at once. */
  revoke(serialNumber: string, reason: RevocationReason = 'unspecified', at?: Date): CertificateRecord {
    if (!(reason in REVOCATION_REASONS)) {
      throw new InvalidInputError(`Unknown revocation reason "${reason}"; use one of ${Object.keys(REVOCATION_REASONS).join(', ')}.`, {
        reason: 'PKI.UNKNOWN_REASON',
      });
    }
    const index = this.editIndex();
    const record = index.certificates.find((c) => c.serialNumber === serialNumber.toLowerCase());
    if (!record)
      throw new NotFoundError(`No certificate with serial number ${serialNumber} was issued here.`, { reason: 'PKI.UNKNOWN_SERIAL' });
    if (record.status === 'REVOKED') {
      throw new InvalidInputError(`Certificate ${serialNumber} was already revoked on ${record.revokedAt}.`, {
        reason: 'PKI.ALREADY_REVOKED',
      });
    }
    record.status = 'REVOKED';
    record.revokedAt = (at ?? this.now()).toISOString();
    record.reason = reason;
    this.writeIndex(index);
    this.publishCrl();
    this.settings.journal?.({ kind: 'revoked', record: { ...record } });
    return record;
  }

  /** Writes crl.pem: the issuing CA's CRL, then the root's (so a validator can check the whole chain). */
  publishCrl(): string {
    const index = this.editIndex();
    const now = this.now();
    index.crlNumber += 1;
    index.rootCrlNumber += 1;
    const revoked = index.certificates
      .filter((c) => c.status === 'REVOKED')
      .map((c) => ({ serialNumber: c.serialNumber, revokedAt: new Date(c.revokedAt!), reason: c.reason ?? 'unspecified' }));
    const issuingCrl = createCrl({
      issuer: this.issuing,
      crlNumber: index.crlNumber,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + ISSUING_CRL_DAYS * DAY),
      revoked,
    });
    const rootCrl = createCrl({
      issuer: this.root,
      crlNumber: index.rootCrlNumber,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + ROOT_CRL_DAYS * DAY),
      revoked: [],
    });
    index.crlPublishedAt = now.toISOString();
    this.writeIndex(index);
    this.files.write('crl.pem', issuingCrl + rootCrl);
    return issuingCrl + rootCrl;
  }

  /**
   * The CRLs (issuing CA's then root's) for the revocations given, under the CRL numbers given:
   * the shared CA numbers them from the database's counter and lists the database's revocations.
   */
  signCrl(
    numbers: { crlNumber: number; rootCrlNumber: number },
    revoked: readonly { serialNumber: string; revokedAt?: string; reason?: string }[],
  ): string {
    const now = this.now();
    const issuingCrl = createCrl({
      issuer: this.issuing,
      crlNumber: numbers.crlNumber,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + ISSUING_CRL_DAYS * DAY),
      revoked: revoked.map((c) => ({
        serialNumber: c.serialNumber,
        revokedAt: new Date(c.revokedAt!),
        reason: (c.reason ?? 'unspecified') as RevocationReason,
      })),
    });
    const rootCrl = createCrl({
      issuer: this.root,
      crlNumber: numbers.rootCrlNumber,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + ROOT_CRL_DAYS * DAY),
      revoked: [],
    });
    return issuingCrl + rootCrl;
  }

  /** Whether the CRL published at `publishedAt` is more than half-way to its next update. */
  crlDue(publishedAt: string | undefined): boolean {
    return !publishedAt || this.now().getTime() - Date.parse(publishedAt) >= (ISSUING_CRL_DAYS * DAY) / 2;
  }

  /** Re-publishes the CRL when it is more than half-way to its next update (called at start and daily). */
  refreshCrlIfDue(): boolean {
    const published = this.readIndex().crlPublishedAt;
    if (this.files.read('crl.pem') !== undefined && !this.crlDue(published)) return false;
    this.publishCrl();
    return true;
  }

  rootPem(): string {
    return certificateToPem(this.root.certificate);
  }

  /** The issuing CA then the root: what a validator needs besides the leaf. */
  chainPem(): string {
    return certificateToPem(this.issuing.certificate) + certificateToPem(this.root.certificate);
  }

  crlPem(): string {
    return this.readFile('crl.pem');
  }

  /** The issuing CA's certificate and key (signing services issue through it). */
  get issuingCertificate(): forge.pki.Certificate {
    return this.issuing.certificate;
  }

  get rootCertificate(): forge.pki.Certificate {
    return this.root.certificate;
  }
}

function createPublicKeyFromPem(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (error) {
    throw new InvalidInputError(`The public key is not a PEM RSA public key (${(error as Error).message}).`, {
      reason: 'PKI.INVALID_PUBLIC_KEY',
    });
  }
}
