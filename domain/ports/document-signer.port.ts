import type { VerificationReport } from '../documents/verification-report';

/** Signs documents on behalf of an agency (its organisation certificate): implemented by the PKI. */
export interface DocumentSigner {
  /** A detached CMS signature (DER) over content with this SHA-256, by the agency's seal, at `signedAt`. */
  /** A compact JWS (RS256, with the certificate chain) over a JSON payload, by the agency's seal. */
  signJson(agency: { code: string; name: string }, payload: unknown): Promise<{ jws: string; signerSerial: string }>;
  signDigest(agency: { code: string; name: string }, sha256: Buffer, signedAt: Date): Promise<{ signature: Buffer; signerSerial: string }>;
}

/** Verifies a detached signature against the hub's trust anchors and current CRLs. */
export interface SignatureVerifier {
  verify(content: Buffer, signature: Buffer): VerificationReport;
}
