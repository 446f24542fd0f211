import { verify } from 'node:crypto';
import forge from 'node-forge';
import { asn1, childrenOf, der, isTime, normaliseSerial, readTime } from '../pki/asn1';

import { publicKeyOf, REVOCATION_REASONS, type RevocationReason } from '../pki/x509';
import { nameDer } from './cms';

/** A CRL as a verifier reads it (node-forge has no CRL reader; the structure is small). */
export interface ParsedCrl {
  /** DER of the issuer's Name, to match the certificate that signed it. */
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revoked: Map<string, { revokedAt: Date; reason: RevocationReason }>;
  /** The signed part and the signature, to check against the issuer. */
  tbsDer: Buffer;
  signature: Buffer;
}

const REASON_NAMES = Object.fromEntries(Object.entries(REVOCATION_REASONS).map(([name, code]) => [code, name])) as Record<
  number,
  RevocationReason
>;

/** Reads every CRL of a PEM file (several blocks allowed) or one DER CRL. */
export function parseCrls(input: Buffer | string): ParsedCrl[] {
  const text = Buffer.isBuffer(input) ? input.toString('latin1') : input;
  const blocks = text.includes('-----BEGIN X509 CRL-----')
    ? [...text.matchAll(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g)].map((m) =>
        Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'),
      )
    : [Buffer.isBuffer(input) ? input : Buffer.from(input, 'latin1')];
  return blocks.map(parseCrl);
}

function parseCrl(bytes: Buffer): ParsedCrl {
  const [tbs, , signatureNode] = childrenOf(asn1.fromDer(bytes.toString('binary'), true));
  const fields = childrenOf(tbs!);
  let index = fields[0]!.type === asn1.Type.INTEGER ? 1 : 0; // version is optional (v1)
  index += 1; // signature algorithm
  const issuerDer = der(fields[index]!);
  index += 1;
  const thisUpdate = readTime(fields[index]!);
  index += 1;
  let nextUpdate: Date | null = null;
  if (isTime(fields[index])) {
    nextUpdate = readTime(fields[index]!);
    index += 1;
  }
  const revoked = new Map<string, { revokedAt: Date; reason: RevocationReason }>();
  const list = fields[index];
  if (list && list.tagClass === asn1.Class.UNIVERSAL && list.type === asn1.Type.SEQUENCE) {
    for (const entry of childrenOf(list)) {
      const [serial, date, extensions] = childrenOf(entry);
      let reason: RevocationReason = 'unspecified';
      for (const extension of extensions ? childrenOf(extensions) : []) {
        const [id, ...rest] = childrenOf(extension);
        if (asn1.derToOid(id!.value as string) !== '2.5.29.21') continue;
        const value = asn1.fromDer(rest.at(-1)!.value as string);
        reason = REASON_NAMES[(value.value as string).charCodeAt(0)] ?? 'unspecified';
      }
      revoked.set(normaliseSerial(forge.util.bytesToHex(serial!.value as string)), { revokedAt: readTime(date!), reason });
    }
  }
  const signatureBits = signatureNode!.value as string;
  return {
    issuerDer,
    thisUpdate,
    nextUpdate,
    revoked,
    tbsDer: der(tbs!),
    // A BIT STRING's first byte counts the unused bits (0 for a signature).
    signature: Buffer.from(signatureBits.slice(1), 'binary'),
  };
}

/** The DER of a certificate's subject Name, to find its CRL. */
export function subjectDer(certificate: forge.pki.Certificate): Buffer {
  return nameDer(certificate.subject);
}

/** Whether the CRL was issued (and signed) by this CA certificate. */
const crlChecks = new WeakMap<ParsedCrl, WeakMap<forge.pki.Certificate, boolean>>();

/** Whether `issuer` signed `crl` (checked once per parsed CRL and certificate object: both are immutable). */
export function crlIssuedBy(crl: ParsedCrl, issuer: forge.pki.Certificate): boolean {
  let checked = crlChecks.get(crl);
  if (!checked) crlChecks.set(crl, (checked = new WeakMap()));
  let result = checked.get(issuer);
  if (result === undefined) {
    result = crl.issuerDer.equals(subjectDer(issuer)) && verify('sha256', crl.tbsDer, publicKeyOf(issuer), crl.signature);
    checked.set(issuer, result);
  }
  return result;
}
