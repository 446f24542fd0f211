import { verify } from 'node:crypto';
import forge from 'node-forge';
import { certificateFromPem, describeName, publicKeyOf } from '../pki/x509';
import { certificateDer, nameDer, OID, parseSignedData, sha256, type ParsedSignerInfo } from './cms';
import { crlIssuedBy, parseCrls, subjectDer, type ParsedCrl } from './crl-reader';
import { normaliseSerial } from '../pki/asn1';
import { parseTimeStampToken, type ParsedTimeStampToken } from './time-stamp';
import { DEFAULT_SIGNATURE_LIMITS, extractPdfSignatures } from './pades';
import type { SignatureLayoutLimits } from '../../domain/documents/signature-layout';
import type {
  CertificateReport,
  Indication,
  RevocationReport,
  SignatureReport,
  SubIndication,
  VerificationReport,
} from '../../domain/documents/verification-report';

export type { Indication, SignatureReport, SubIndication, VerificationReport };

/**
 * Verification of CMS signatures, reported the way EU DSS (ETSI EN 319 102-1) does: an indication
 * (PASSED, INDETERMINATE, FAILED), a sub-indication saying why, and what was checked: integrity,
 * the signature value, the chain to a trusted root, each certificate's validity at the signing
 * time, and revocation at the signing time and now (Decree 23/2025 asks a verifier to show these).
 */

export interface TrustSettings {
  /** The trust anchors: only chains ending in one of these are trusted. */
  trustedRoots: readonly forge.pki.Certificate[];
  /** Intermediate CAs the verifier knows, for chains a signature or time-stamp does not carry in full. */
  intermediates?: readonly forge.pki.Certificate[];
  /** CRLs of the CAs (checked against their issuers before use). */
  crls: readonly ParsedCrl[];
  now: Date;
}

const SEVERITY: Record<Indication, number> = { PASSED: 0, INDETERMINATE: 1, FAILED: 2 };

const issuerChecks = new WeakMap<forge.pki.Certificate, WeakMap<forge.pki.Certificate, boolean>>();

/**
 * Whether `issuer` signed `certificate`, remembered per pair of certificate objects: parsed
 * certificates are shared by their exact encoding (x509.ts), so the answer cannot change.
 */
function signedBy(certificate: forge.pki.Certificate, issuer: forge.pki.Certificate): boolean {
  let checked = issuerChecks.get(certificate);
  if (!checked) issuerChecks.set(certificate, (checked = new WeakMap()));
  let result = checked.get(issuer);
  if (result === undefined) {
    result = checkSignedBy(certificate, issuer);
    checked.set(issuer, result);
  }
  return result;
}

/** Native RSA verification of a certificate's signature over its TBSCertificate. */
function checkSignedBy(certificate: forge.pki.Certificate, issuer: forge.pki.Certificate): boolean {
  if (!nameDer(certificate.issuer).equals(nameDer(issuer.subject))) return false;
  const tbs = forge.pki.certificateToAsn1(certificate).value as forge.asn1.Asn1[];
  const tbsDer = Buffer.from(forge.asn1.toDer(tbs[0]!).getBytes(), 'binary');
  try {
    return verify('sha256', tbsDer, publicKeyOf(issuer), Buffer.from(certificate.signature as string, 'binary'));
  } catch {
    return false;
  }
}

function describeCertificate(certificate: forge.pki.Certificate, at: Date, trustedRoot: boolean): CertificateReport {
  return {
    subject: describeName(certificate.subject.attributes),
    serialNumber: normaliseSerial(certificate.serialNumber),
    notBefore: certificate.validity.notBefore.toISOString(),
    notAfter: certificate.validity.notAfter.toISOString(),
    validAtSigningTime: certificate.validity.notBefore <= at && at <= certificate.validity.notAfter,
    trustedRoot,
  };
}

/** The chain from the signer up, as far as it goes, and whether it ends at a trusted root. */
function buildChain(
  signer: forge.pki.Certificate,
  pool: readonly forge.pki.Certificate[],
  roots: readonly forge.pki.Certificate[],
): { chain: forge.pki.Certificate[]; trusted: boolean } {
  const rootDers = roots.map((r) => certificateDer(r));
  const chain = [signer];
  for (let depth = 0; depth < 8; depth += 1) {
    const current = chain.at(-1)!;
    const currentDer = certificateDer(current);
    if (rootDers.some((r) => r.equals(currentDer))) return { chain, trusted: true };
    const issuer = [...roots, ...pool].find((candidate) => candidate !== current && signedBy(current, candidate));
    if (!issuer) return { chain, trusted: false };
    chain.push(issuer);
  }
  return { chain, trusted: false };
}

function revocationOf(
  certificate: forge.pki.Certificate,
  issuer: forge.pki.Certificate | undefined,
  crls: readonly ParsedCrl[],
): RevocationReport {
  const crl = issuer
    ? crls.find((candidate) => candidate.issuerDer.equals(subjectDer(issuer)) && crlIssuedBy(candidate, issuer))
    : undefined;
  if (!crl) return { source: 'NONE', status: 'UNKNOWN', crlThisUpdate: null, revokedAt: null, reason: null };
  const entry = crl.revoked.get(normaliseSerial(certificate.serialNumber));
  return {
    source: 'CRL',
    status: entry ? 'REVOKED' : 'GOOD',
    crlThisUpdate: crl.thisUpdate.toISOString(),
    revokedAt: entry?.revokedAt.toISOString() ?? null,
    reason: entry?.reason ?? null,
  };
}

/** Signers' clocks and the TSA's may differ a little. */
const CLOCK_TOLERANCE_MS = 60_000;

function hasTimeStampingPurpose(certificate: forge.pki.Certificate): boolean {
  const extension = certificate.getExtension('extKeyUsage') as { timeStamping?: boolean; critical?: boolean } | null;
  return Boolean(extension?.timeStamping && extension.critical);
}

/**
 * Checks an RFC 3161 signature time-stamp: over this signature value, signed by a certificate with
 * the (critical) time-stamping purpose that chains to a trusted root, valid and not revoked at the
 * time it gives.
 */
function checkTimeStamp(
  token: Buffer,
  /** The SHA-256 the token must be over: of a signature value, or of a document. */
  expectedImprint: Buffer,
  outerCertificates: readonly forge.pki.Certificate[],
  trust: TrustSettings,
): TimeStampCheck {
  let parsed: ParsedTimeStampToken;
  try {
    parsed = parseTimeStampToken(token);
  } catch {
    return { problem: 'it is not a readable RFC 3161 token.', subIndication: 'FORMAT_FAILURE' };
  }
  const { info, signedData } = parsed;
  if (info.hashAlgorithm !== OID.sha256 || !info.imprint.equals(expectedImprint))
    return { problem: 'it was made for other data.', subIndication: 'HASH_FAILURE' };
  const tokenSigner = signedData.signers[0];
  const pool = [...signedData.certificates, ...outerCertificates, ...(trust.intermediates ?? [])];
  const authority = tokenSigner
    ? pool.find((c) => normaliseSerial(c.serialNumber) === tokenSigner.serialNumber && nameDer(c.issuer).equals(tokenSigner.issuerDer))
    : undefined;
  if (!tokenSigner || !authority)
    return { problem: 'the time-stamp authority’s certificate is missing.', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' };
  const contentIntact =
    tokenSigner.contentType === OID.tstInfo &&
    tokenSigner.messageDigest !== null &&
    tokenSigner.messageDigest.equals(sha256(signedData.content!));
  let valid = false;
  try {
    valid =
      contentIntact &&
      tokenSigner.signedAttributesDer !== null &&
      verify('sha256', tokenSigner.signedAttributesDer, publicKeyOf(authority), tokenSigner.signature);
  } catch {
    valid = false;
  }
  if (!valid) return { problem: 'its signature does not verify.', subIndication: 'SIG_CRYPTO_FAILURE' };
  const name = describeName(authority.subject.attributes);
  if (!hasTimeStampingPurpose(authority))
    return { problem: `${name} is not a time-stamp authority (no critical time-stamping purpose).`, subIndication: 'FORMAT_FAILURE' };
  const { chain, trusted } = buildChain(authority, pool, trust.trustedRoots);
  if (!trusted) return { problem: `${name} does not chain to a trusted root.`, subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' };
  if (chain.some((c) => info.genTime < c.validity.notBefore || info.genTime > c.validity.notAfter))
    return { problem: `a certificate of ${name} was not valid at ${info.genTime.toISOString()}.`, subIndication: 'OUT_OF_BOUNDS_NO_POE' };
  const revocation = revocationOf(authority, chain[1], trust.crls);
  if (revocation.status === 'REVOKED' && new Date(revocation.revokedAt!) <= info.genTime)
    return { problem: `the certificate of ${name} was revoked before it.`, subIndication: 'REVOKED' };
  return {
    time: info.genTime,
    authority: name,
    chain: chain.map((c, i) => describeCertificate(c, info.genTime, i === chain.length - 1)),
    revocation,
  };
}

/** A report before any check: passed until a check says otherwise, nothing established yet. */
function blankReport(claimedSigningTime: Date | null): SignatureReport {
  return {
    indication: 'PASSED',
    subIndication: null,
    notes: [],
    signer: null,
    issuer: null,
    signingTime: claimedSigningTime?.toISOString() ?? null,
    timestamp: null,
    timestampAuthority: null,
    integrity: false,
    signatureValid: false,
    chainTrusted: false,
    chain: [],
    revocation: { source: 'NONE', status: 'UNKNOWN', crlThisUpdate: null, revokedAt: null, reason: null },
  };
}

type TimeStampCheck =
  | { time: Date; authority: string; chain: CertificateReport[]; revocation: RevocationReport }
  | { problem: string; subIndication: SubIndication };

/**
 * A document time-stamp in a PDF (PAdES B-LTA, /SubFilter ETSI.RFC3161): a token over the file up
 * to there, reported like a signature whose signer is the time-stamp authority.
 */
function verifyDocumentTimeStamp(contentDigest: Buffer, token: Buffer, trust: TrustSettings): SignatureReport {
  const check = checkTimeStamp(token, contentDigest, [], trust);
  const base = blankReport(null);
  if ('problem' in check) {
    const failed =
      check.subIndication === 'HASH_FAILURE' || check.subIndication === 'SIG_CRYPTO_FAILURE' || check.subIndication === 'REVOKED';
    return {
      ...base,
      indication: failed ? 'FAILED' : 'INDETERMINATE',
      subIndication: check.subIndication,
      integrity: check.subIndication !== 'HASH_FAILURE',
      notes: [`A document time-stamp that does not hold: ${check.problem}`],
    };
  }
  return {
    ...base,
    notes: ['A document time-stamp (RFC 3161): the file up to here existed at this time.'],
    signer: check.authority,
    issuer: check.chain[1]?.subject ?? null,
    signingTime: check.time.toISOString(),
    timestamp: check.time.toISOString(),
    timestampAuthority: check.authority,
    integrity: true,
    signatureValid: true,
    chainTrusted: true,
    chain: check.chain,
    revocation: check.revocation,
  };
}

function verifySigner(
  info: ParsedSignerInfo,
  certificates: readonly forge.pki.Certificate[],
  documentDigest: Buffer,
  trust: TrustSettings,
): SignatureReport {
  const report = blankReport(info.signingTime);
  const conclude = (indication: Indication, subIndication: SubIndication) => {
    if (SEVERITY[indication] > SEVERITY[report.indication]) {
      report.indication = indication;
      report.subIndication = subIndication;
    }
  };
  const signer = certificates.find(
    (c) => normaliseSerial(c.serialNumber) === normaliseSerial(info.serialNumber) && nameDer(c.issuer).equals(info.issuerDer),
  );
  if (!signer) {
    conclude('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND');
    return report;
  }
  report.signer = describeName(signer.subject.attributes);
  report.issuer = describeName(signer.issuer.attributes);
  if (info.signingCertificateHash && !info.signingCertificateHash.equals(sha256(certificateDer(signer)))) {
    conclude('FAILED', 'FORMAT_FAILURE');
    report.notes.push('The signing-certificate attribute names another certificate than the one included.');
  }
  if (info.digestAlgorithm !== OID.sha256 || !info.signedAttributesDer || !info.messageDigest) {
    conclude('FAILED', 'FORMAT_FAILURE');
    report.notes.push('Only SHA-256 signatures with signed attributes are accepted.');
    return report;
  }
  report.integrity = info.messageDigest.equals(documentDigest);
  if (!report.integrity) conclude('FAILED', 'HASH_FAILURE');
  try {
    report.signatureValid = verify('sha256', info.signedAttributesDer, publicKeyOf(signer), info.signature);
  } catch {
    report.signatureValid = false;
  }
  if (!report.signatureValid) conclude('FAILED', 'SIG_CRYPTO_FAILURE');

  // A trusted time-stamp proves when the signature existed; a claimed time only claims it.
  let provenTime: Date | null = null;
  for (const token of info.signatureTimeStamps) {
    const check = checkTimeStamp(token, sha256(info.signature), certificates, trust);
    if ('problem' in check) {
      report.notes.push(`A time-stamp on the signature was not used: ${check.problem}`);
    } else if (!provenTime || check.time < provenTime) {
      provenTime = check.time;
      report.timestamp = check.time.toISOString();
      report.timestampAuthority = check.authority;
    }
  }
  if (provenTime && info.signingTime && info.signingTime.getTime() > provenTime.getTime() + CLOCK_TOLERANCE_MS)
    report.notes.push('The signing time the signature claims is later than its time-stamp.');
  const signingTime = provenTime ?? info.signingTime ?? trust.now;
  const { chain, trusted } = buildChain(signer, [...certificates, ...(trust.intermediates ?? [])], trust.trustedRoots);
  report.chainTrusted = trusted;
  report.chain = chain.map((c, i) => describeCertificate(c, signingTime, trusted && i === chain.length - 1));
  if (!trusted) conclude('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  if (signingTime < signer.validity.notBefore) conclude('FAILED', 'NOT_YET_VALID');
  // A signing time after expiry (claimed, or even proven): no proof of existence while the certificate was valid.
  if (signingTime > signer.validity.notAfter) conclude('INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
  else if (trust.now > signer.validity.notAfter)
    report.notes.push(`The signer's certificate expired on ${signer.validity.notAfter.toISOString()}, after the signing time.`);
  if (chain.slice(1).some((c) => signingTime < c.validity.notBefore || signingTime > c.validity.notAfter)) {
    conclude('INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE');
    report.notes.push('A CA certificate of the chain was not valid at the signing time.');
  }

  report.revocation = revocationOf(signer, chain[1], trust.crls);
  if (report.revocation.status === 'REVOKED') {
    const revokedAt = new Date(report.revocation.revokedAt!);
    if (revokedAt <= signingTime) {
      conclude('FAILED', 'REVOKED');
      report.notes.push(
        `The signer's certificate was revoked (${report.revocation.reason}) on ${revokedAt.toISOString()}, before the signing time.`,
      );
    } else {
      report.notes.push(
        `The signer's certificate was revoked (${report.revocation.reason}) on ${revokedAt.toISOString()}, after the signing time: the signature stays valid.`,
      );
    }
  } else if (report.revocation.status === 'UNKNOWN' && trusted) {
    conclude('INDETERMINATE', 'TRY_LATER');
    report.notes.push('No CRL of the issuing CA was available to check revocation.');
  }
  return report;
}

/** Verifies a detached CMS signature over `content` (or over content whose SHA-256 is given). */
export function verifyDetached(
  content: { bytes: Buffer } | { sha256: Buffer },
  signature: Buffer,
  trust: TrustSettings,
): VerificationReport {
  const documentDigest = 'bytes' in content ? sha256(content.bytes) : content.sha256;
  let parsed;
  try {
    parsed = parseSignedData(signature);
  } catch {
    return { indication: 'FAILED', subIndication: 'FORMAT_FAILURE', documentSha256: documentDigest.toString('hex'), signatures: [] };
  }
  return reportOf(
    documentDigest,
    parsed.signers.map((info) => verifySigner(info, parsed.certificates, documentDigest, trust)),
  );
}

/** The document's report: as good as its worst signature; FAILED with none. */
function reportOf(documentDigest: Buffer, signatures: SignatureReport[]): VerificationReport {
  const worst = signatures.reduce<SignatureReport | undefined>(
    (a, b) => (!a || SEVERITY[b.indication] > SEVERITY[a.indication] ? b : a),
    undefined,
  );
  return {
    indication: worst?.indication ?? 'FAILED',
    subIndication: worst ? worst.subIndication : 'FORMAT_FAILURE',
    documentSha256: documentDigest.toString('hex'),
    signatures,
  };
}

function isTimeStampToken(cms: Buffer): boolean {
  try {
    return parseSignedData(cms).contentType === OID.tstInfo;
  } catch {
    return false;
  }
}

/**
 * Verifies every signature embedded in a PDF, oldest first (document time-stamps included). Content appended after the last
 * signature was signed by nobody: the report says so (the signatures themselves stay valid).
 */
export function verifyPdf(pdf: Buffer, trust: TrustSettings, limits: SignatureLayoutLimits = DEFAULT_SIGNATURE_LIMITS): VerificationReport {
  const embedded = extractPdfSignatures(pdf, limits);
  const signatures = embedded.flatMap(({ signedDigest, cms }) =>
    isTimeStampToken(cms)
      ? [verifyDocumentTimeStamp(signedDigest, cms, trust)]
      : verifyDetached({ sha256: signedDigest }, cms, trust).signatures,
  );
  if (!embedded.at(-1)!.coversWholeFile)
    signatures.at(-1)?.notes.push('The file was changed after its last signature: what was added there is signed by nobody.');
  return reportOf(sha256(pdf), signatures);
}

/**
 * The hub's trust, as text that crosses to a verification worker: its root as the trust anchor,
 * its issuing CA, the trust list's roots and CAs, their current CRLs, and the time to verify at.
 */
export interface TrustMaterial {
  rootPem: string;
  issuingPem: string;
  /** CRLs of the hub's CA, then of the trust list's roots (PEM blocks). */
  crlPem: string;
  /** Roots of the trust list (TRUSTED_ROOTS_FILE), PEM blocks; absent or '': only the hub's root. */
  furtherRootsPem?: string;
  /** Their CA certificates the list names, PEM blocks. */
  furtherIntermediatesPem?: string;
  /** ISO 8601. */
  now: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const certificatesFromPem = (pem: string | undefined) => (pem?.match(PEM_CERTIFICATE) ?? []).map(certificateFromPem);

/** Trust settings from their text, parsed once per distinct text (the CA publishes new CRLs now and then). */
export function trustReader(): (material: TrustMaterial) => TrustSettings {
  let anchors: { key: string; roots: forge.pki.Certificate[]; intermediates: forge.pki.Certificate[] } | undefined;
  let crls: { pem: string; parsed: ParsedCrl[] } | undefined;
  return (material) => {
    const key = [material.rootPem, material.issuingPem, material.furtherRootsPem ?? '', material.furtherIntermediatesPem ?? ''].join('\0');
    if (anchors?.key !== key)
      anchors = {
        key,
        roots: [certificateFromPem(material.rootPem), ...certificatesFromPem(material.furtherRootsPem)],
        intermediates: [certificateFromPem(material.issuingPem), ...certificatesFromPem(material.furtherIntermediatesPem)],
      };
    if (crls?.pem !== material.crlPem) crls = { pem: material.crlPem, parsed: parseCrls(material.crlPem) };
    return { trustedRoots: anchors.roots, intermediates: anchors.intermediates, crls: crls.parsed, now: new Date(material.now) };
  };
}
