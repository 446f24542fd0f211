/**
 * Where the hub's certificate authority keeps its state when replicas share it: the database. The
 * store keeps and returns keys as the encrypted PEM blobs certs/ hands it; it never decrypts one.
 */

/** One issued certificate, as stored. Times are ISO strings. */
export interface StoredCertificate {
  serialNumber: string;
  profile: string;
  subject: string;
  subjectAltNames: string[];
  /** The agency's e-identifier code of an organisation certificate (organizationIdentifier), if any. */
  agencyCode: string | null;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  revokedAt: string | null;
  reason: string | null;
  certificatePem: string;
  /** PKCS#8, encrypted under PKI_KEY_PASSPHRASE; null when the holder generated the key. */
  encryptedKeyPem: string | null;
}

/** The root and issuing CAs, their encrypted keys, the CRL counters and the CRL last published. */
export interface StoredAuthority {
  rootCertificatePem: string;
  encryptedRootKeyPem: string;
  issuingCertificatePem: string;
  encryptedIssuingKeyPem: string;
  crlNumber: number;
  rootCrlNumber: number;
  crlPem: string | null;
  crlPublishedAt: string | null;
  /** Raised by every change (issue, revocation, CRL): replicas reload what changed since the one they saw. */
  revision: number;
}

export type RevocationOutcome =
  { outcome: 'REVOKED'; revokedAt: string } | { outcome: 'ALREADY_REVOKED'; revokedAt: string } | { outcome: 'UNKNOWN' };

export interface CertificateStore {
  authority(): Promise<StoredAuthority | undefined>;
  /** Removes the CA and everything it issued (`hub pki init --force`). */
  clear(): Promise<void>;
  /** Creates the CA (once: false when another replica created it first), with the certificates it already issued. */
  create(authority: Omit<StoredAuthority, 'revision'>, certificates: readonly StoredCertificate[]): Promise<boolean>;
  /** Certificates issued or revoked after `revision`, in the order they were issued. */
  changedSince(revision: number): Promise<StoredCertificate[]>;
  insert(certificate: StoredCertificate): Promise<void>;
  /** The agency's current seal (serial number), if it has one. */
  seal(agencyCode: string): Promise<string | undefined>;
  /**
   * Makes `serialNumber` the agency's seal if its seal is still `replacing` (undefined: it has none),
   * inserting `certificate` in the same transaction; false (nothing written) when another replica
   * changed the seal first.
   */
  claimSeal(agencyCode: string, serialNumber: string, replacing: string | undefined, certificate?: StoredCertificate): Promise<boolean>;
  revoke(serialNumber: string, at: Date, reason: string): Promise<RevocationOutcome>;
  /**
   * Takes the next CRL numbers, hands them and every revocation to `sign`, and stores the CRL it
   * returns, all in one transaction (CRL numbers never repeat across replicas).
   */
  publishCrl(
    sign: (
      numbers: { crlNumber: number; rootCrlNumber: number },
      revoked: { serialNumber: string; revokedAt: string; reason: string }[],
    ) => string,
    at: Date,
  ): Promise<string>;
}
