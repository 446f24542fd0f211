import type { VerificationReport } from '../documents/verification-report';

/** Signs documents on behalf of an agency (its organisation certificate): implemented by the PKI. */
export interface DocumentSigner {
  /** A detached CMS signature (DER) over content with this SHA-256, by the agency's seal, at `signedAt`. */
  /**
   * The result notice as a PDF signed (PAdES) with the agency's seal: it prints the result, the
   * document code and the access key.
   */
  signResultPdf(
    agency: { code: string; name: string },
    notice: {
      documentCode: string;
      dossierCode: string;
      procedure: { code: string; name: string };
      applicantId: string;
      summary: string;
      resolvedAt: string;
      accessKey: string;
    },
    signedAt: Date,
  ): Promise<{ pdf: Buffer; signerSerial: string }>;
  /** A compact JWS (RS256, with the certificate chain) over a JSON payload, by the agency's seal. */
  signJson(agency: { code: string; name: string }, payload: unknown): Promise<{ jws: string; signerSerial: string }>;
  signDigest(agency: { code: string; name: string }, sha256: Buffer, signedAt: Date): Promise<{ signature: Buffer; signerSerial: string }>;
}

/** Verifies a detached signature against the hub's trust anchors and current CRLs. */
export interface SignatureVerifier {
  verify(content: Buffer, signature: Buffer): VerificationReport;
}
