import type { VerificationReport } from '../documents/verification-report';

/** The result of a dossier as it is signed: what the notice prints and the JWS carries. */
export interface ResultRecord {
  type: 'onestop-hub/result/v1';
  documentCode: string;
  dossierCode: string;
  procedure: { code: string; name: string };
  agency: { code: string; name: string };
  applicantId: string;
  summary: string;
  resolvedAt: string;
  completion: string | null;
  /** A document the agency produced elsewhere, named when the result was recorded. */
  externalDocumentCode: string | null;
}

/** Signs documents on behalf of an agency (its organisation certificate): implemented by the PKI. */
export interface DocumentSigner {
  /** A detached CMS signature (DER) over content with this SHA-256, by the agency's seal, at `signedAt`. */
  signDigest(agency: { code: string; name: string }, sha256: Buffer, signedAt: Date): Promise<{ signature: Buffer; signerSerial: string }>;
  /**
   * A result, signed three ways by the agency's seal: the notice as a PDF signed inside (PAdES; it
   * prints the result, the document code and the access key), a detached CMS over that PDF, and
   * the record as a compact JWS (RS256, with the certificate chain) for systems.
   */
  signResult(
    agency: { code: string; name: string },
    record: ResultRecord,
    accessKey: string,
    signedAt: Date,
  ): Promise<{ pdf: Buffer; pdfSignature: Buffer; jws: string; signerSerial: string }>;
}

/**
 * Verifies signatures against the hub's trust anchors and current CRLs, within bounds of time and
 * memory (files come from anyone): a file over them is refused with a typed error.
 */
export interface SignatureVerifier {
  /** A detached signature over `content`. */
  verify(content: Buffer, signature: Buffer): Promise<VerificationReport>;
  /** Every signature embedded in a PDF, oldest first (DOCUMENT.MALFORMED_PDF when it has none). */
  verifyPdf(pdf: Buffer): Promise<VerificationReport>;
}
