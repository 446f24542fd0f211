/**
 * What a signature verification reports, in the terms of EU DSS (ETSI EN 319 102-1): an
 * indication, a sub-indication saying why, and each check made. Decree 23/2025 asks verification
 * software to show the chain to the trusted root, the certificate's validity at signing time, the
 * revocation status, the signer, the issuer, the signing time and the integrity result.
 */

export type Indication = 'PASSED' | 'INDETERMINATE' | 'FAILED';

export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'NOT_YET_VALID'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'REVOKED'
  | 'TRY_LATER';

export interface CertificateReport {
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Valid on the signing time (or now, without one). */
  validAtSigningTime: boolean;
  trustedRoot: boolean;
}

export interface RevocationReport {
  source: 'CRL' | 'NONE';
  status: 'GOOD' | 'REVOKED' | 'UNKNOWN';
  /** When the CRL consulted was issued. */
  crlThisUpdate: string | null;
  revokedAt: string | null;
  reason: string | null;
}

export interface SignatureReport {
  indication: Indication;
  subIndication: SubIndication | null;
  /** Facts worth telling the officer even when the signature passed (revoked or expired since). */
  notes: string[];
  signer: string | null;
  issuer: string | null;
  signingTime: string | null;
  /** A verified RFC 3161 time-stamp over the signature: proof it existed then (best-signature-time). */
  timestamp: string | null;
  timestampAuthority: string | null;
  integrity: boolean;
  signatureValid: boolean;
  chainTrusted: boolean;
  chain: CertificateReport[];
  revocation: RevocationReport;
}

export interface VerificationReport {
  indication: Indication;
  subIndication: SubIndication | null;
  documentSha256: string;
  signatures: SignatureReport[];
}
