import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  algorithm,
  asn1,
  bitString,
  contextSpecific,
  der,
  enumerated,
  integer,
  integerFromHex,
  octets,
  oid,
  seq,
  time,
  type Asn1,
} from './asn1';

/**
 * X.509 certificates and CRLs: node-forge builds the ASN.1 structures, Node's native crypto makes
 * the signatures (node-forge's pure-JS RSA is far slower). The CAs sign with RSA, SHA-256 and
 * PKCS#1 v1.5 throughout, what every validator accepts. Subject keys are RSA, except the time-stamp
 * authority's (ECDSA P-256): node-forge reads RSA keys only, so an EC subject key is carried past it
 * (see `certificateFromAsn1`) and used natively.
 */

/** What a certificate is for; each has its key usages, extended key usages and lifetime. */
export const CERTIFICATE_PROFILES = [
  'root-ca',
  'issuing-ca',
  'organisation-signing',
  'person-signing',
  'tls-server',
  'tls-client',
  'time-stamping',
] as const;
export type CertificateProfile = (typeof CERTIFICATE_PROFILES)[number];

/** Subject of a certificate. Vietnamese text is written as UTF8String; the country as PrintableString. */
export interface SubjectName {
  commonName: string;
  organisation?: string | undefined;
  organisationalUnit?: string | undefined;
  /** The agency's e-identifier code (organizationIdentifier, 2.5.4.97), e.g. 000.19.31.H46. */
  organisationIdentifier?: string | undefined;
  locality?: string | undefined;
  province?: string | undefined;
  /** @default 'VN' */
  country?: string | undefined;
}

/** A profile's key: RSA of a size, or ECDSA on a named curve. */
export type KeySpec = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' };

interface ProfileRules {
  ca: boolean;
  pathLength?: number;
  key: KeySpec;
  years: number;
  keyUsage: Record<string, boolean>;
  extendedKeyUsage?: Record<string, boolean>;
  /** RFC 3161 wants the time-stamping purpose alone and critical. */
  extendedKeyUsageCritical?: boolean;
}

/**
 * id-kp-documentSigning (RFC 9336): a key for signing documents. Signing certificates also carry
 * emailProtection, which PDF validators built on NSS (poppler's pdfsig) require of a signer.
 */
export const DOCUMENT_SIGNING_OID = '1.3.6.1.5.5.7.3.36';

const PROFILE_RULES: Record<CertificateProfile, ProfileRules> = {
  'root-ca': { ca: true, pathLength: 1, key: { type: 'rsa', bits: 3072 }, years: 20, keyUsage: { keyCertSign: true, cRLSign: true } },
  'issuing-ca': { ca: true, pathLength: 0, key: { type: 'rsa', bits: 3072 }, years: 10, keyUsage: { keyCertSign: true, cRLSign: true } },
  // Decree 30/2020: the organisation's signature (a sealed copy, a result) and its authorised person's.
  'organisation-signing': {
    ca: false,
    key: { type: 'rsa', bits: 3072 },
    years: 3,
    keyUsage: { digitalSignature: true, nonRepudiation: true },
    extendedKeyUsage: { [DOCUMENT_SIGNING_OID]: true, emailProtection: true },
  },
  'person-signing': {
    ca: false,
    key: { type: 'rsa', bits: 3072 },
    years: 2,
    keyUsage: { digitalSignature: true, nonRepudiation: true },
    extendedKeyUsage: { [DOCUMENT_SIGNING_OID]: true, emailProtection: true },
  },
  'tls-server': {
    ca: false,
    key: { type: 'rsa', bits: 2048 },
    years: 1,
    keyUsage: { digitalSignature: true, keyEncipherment: true },
    extendedKeyUsage: { serverAuth: true },
  },
  'tls-client': {
    ca: false,
    key: { type: 'rsa', bits: 2048 },
    years: 1,
    keyUsage: { digitalSignature: true },
    extendedKeyUsage: { clientAuth: true },
  },
  // The hub's RFC 3161 time-stamp authority. Every hub signature carries one of its tokens: an
  // ECDSA P-256 signature costs a few percent of an RSA-3072 one, at the same 128-bit strength
  // (ETSI TS 119 312), so a time-stamped seal costs about one RSA signature instead of two.
  'time-stamping': {
    ca: false,
    key: { type: 'ec', curve: 'P-256' },
    years: 5,
    keyUsage: { digitalSignature: true, nonRepudiation: true },
    extendedKeyUsage: { timeStamping: true },
    extendedKeyUsageCritical: true,
  },
};

export function profileRules(profile: CertificateProfile): Readonly<ProfileRules> {
  return PROFILE_RULES[profile];
}

/** A fresh key pair of the profile's type and size (native: milliseconds, not seconds). */
export function generateKeyPair(profile: CertificateProfile): { privateKey: KeyObject; publicKey: KeyObject } {
  const key = PROFILE_RULES[profile].key;
  return key.type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: key.bits })
    : generateKeyPairSync('ec', { namedCurve: key.curve });
}

/** Whether a certificate (PEM) holds a key of the type its profile now asks for (an RSA TSA of an earlier version does not). */
export function hasProfileKeyType(profile: CertificateProfile, certificatePem: string): boolean {
  return new X509Certificate(certificatePem).publicKey.asymmetricKeyType === PROFILE_RULES[profile].key.type;
}

/** Random bytes drawn from a pool filled 4 KB at a time: every time-stamp token takes a serial number. */
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomPool(size: number): Buffer {
  if (poolAt + size > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += size;
  return pool.subarray(poolAt - size, poolAt);
}

/** 16 random bytes, positive (RFC 5280 §4.1.2.2), as lower-case hex. */
export function newSerialNumber(): string {
  const bytes = Buffer.from(randomPool(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

const UTF8 = forge.asn1.Type.UTF8;
const PRINTABLE = forge.asn1.Type.PRINTABLESTRING;

// The typings say a tag class; node-forge reads the value's ASN.1 type from this field.
const field = (attribute: { type?: string; name?: string; value: string; valueTagClass: forge.asn1.Type }) =>
  attribute as unknown as forge.pki.CertificateField;

function subjectAttributes(subject: SubjectName): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [
    field({ name: 'countryName', value: subject.country ?? 'VN', valueTagClass: PRINTABLE }),
  ];
  const add = (type: string, value: string | undefined) => {
    if (value) attributes.push(field({ type, value, valueTagClass: UTF8 }));
  };
  add('2.5.4.8', subject.province);
  add('2.5.4.7', subject.locality);
  add('2.5.4.10', subject.organisation);
  add('2.5.4.11', subject.organisationalUnit);
  add('2.5.4.97', subject.organisationIdentifier);
  add('2.5.4.3', subject.commonName);
  return attributes;
}

const SHA256_WITH_RSA = forge.pki.oids.sha256WithRSAEncryption!;

/** Signs DER bytes (a TBSCertificate or TBSCertList) with the issuer's key: RSA PKCS#1 v1.5, SHA-256. */
function signDer(der: string, issuerKey: KeyObject): string {
  return sign('sha256', Buffer.from(der, 'binary'), issuerKey).toString('binary');
}

export interface IssueRequest {
  profile: CertificateProfile;
  subject: SubjectName;
  publicKey: KeyObject;
  /** Omitted: self-signed (the root). */
  issuer?: { certificate: forge.pki.Certificate; privateKey: KeyObject } | undefined;
  /** The issuer's own key, for a self-signed certificate. */
  selfSigningKey?: KeyObject | undefined;
  serialNumber?: string | undefined;
  notBefore: Date;
  /** @default notBefore + the profile's lifetime */
  notAfter?: Date | undefined;
  /** DNS names and IP addresses (TLS server certificates). */
  subjectAltNames?: readonly string[] | undefined;
  /** Where the issuer publishes its CRL (CRL distribution point). */
  crlUrl?: string | undefined;
}

/** Builds and signs a certificate; returns it as node-forge's object (`certificateToPem` for PEM). */
export function issueCertificate(request: IssueRequest): forge.pki.Certificate {
  const rules = PROFILE_RULES[request.profile];
  const cert = forge.pki.createCertificate();
  const rsa = request.publicKey.asymmetricKeyType === 'rsa';
  cert.publicKey = rsa ? forge.pki.publicKeyFromPem(request.publicKey.export({ type: 'spki', format: 'pem' }).toString()) : PLACEHOLDER_KEY;
  cert.serialNumber = request.serialNumber ?? newSerialNumber();
  cert.validity.notBefore = request.notBefore;
  const notAfter = new Date(request.notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + rules.years);
  cert.validity.notAfter = request.notAfter ?? notAfter;
  cert.setSubject(subjectAttributes(request.subject));
  const issuerCertificate = request.issuer?.certificate ?? cert;
  cert.setIssuer(request.issuer ? request.issuer.certificate.subject.attributes : cert.subject.attributes);

  const extensions: Record<string, unknown>[] = [
    {
      name: 'basicConstraints',
      critical: true,
      cA: rules.ca,
      ...(rules.pathLength !== undefined ? { pathLenConstraint: rules.pathLength } : {}),
    },
    { name: 'keyUsage', critical: true, ...rules.keyUsage },
    rsa
      ? { name: 'subjectKeyIdentifier' }
      : {
          name: 'subjectKeyIdentifier',
          value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, keyIdentifier(request.publicKey)),
        },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuerCertificate.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (rules.extendedKeyUsage) {
    extensions.push({ name: 'extKeyUsage', ...(rules.extendedKeyUsageCritical ? { critical: true } : {}), ...rules.extendedKeyUsage });
  }
  if (request.subjectAltNames?.length) {
    extensions.push({
      name: 'subjectAltName',
      altNames: request.subjectAltNames.map((name) => (/^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name })),
    });
  }
  if (request.crlUrl) extensions.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: request.crlUrl }] });
  cert.setExtensions(extensions);

  const signingKey = request.issuer?.privateKey ?? request.selfSigningKey;
  if (!signingKey) throw new Error('A certificate needs an issuer, or its own key when self-signed.');
  cert.signatureOid = SHA256_WITH_RSA;
  cert.siginfo.algorithmOid = SHA256_WITH_RSA;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  if (!rsa) {
    // The key node-forge cannot write goes into the TBSCertificate as Node encodes it.
    (tbs.value as Asn1[])[spkiIndex(tbs)] = asn1.fromDer(
      request.publicKey.export({ type: 'spki', format: 'der' }).toString('binary'),
      true,
    );
    foreignKeys.set(cert, request.publicKey);
  }
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = signDer(forge.asn1.toDer(tbs).getBytes(), signingKey);
  return cert;
}

/**
 * Subject keys node-forge cannot read (the TSA's EC key), per certificate object. Such a
 * certificate carries PLACEHOLDER_KEY as its node-forge public key, never used: its own key is
 * here, and its encoding stays the original TBSCertificate (node-forge writes that back as it is).
 */
const foreignKeys = new WeakMap<forge.pki.Certificate, KeyObject>();

/** A stand-in RSA key (n = 2^64 + 13, e = 65537) so node-forge can build and parse around an EC key. */
const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('1000000000000000d', 16), new forge.jsbn.BigInteger('65537'));

/** Where the SubjectPublicKeyInfo sits in a TBSCertificate: after the subject, one later when the version is written. */
const spkiIndex = (tbs: Asn1) => ((tbs.value as Asn1[])[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 6 : 5);

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subject public key (for an EC key, the uncompressed point). */
function keyIdentifier(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return createHash('sha1').update(point).digest().toString('binary');
}

/** node-forge's parse of a certificate, with a subject key it cannot read carried past it. */
function parseCertificate(node: Asn1): forge.pki.Certificate {
  const tbs = (node.value as Asn1[])[0];
  const spki = tbs && Array.isArray(tbs.value) ? (tbs.value as Asn1[])[spkiIndex(tbs)] : undefined;
  const keyAlgorithm = spki && Array.isArray(spki.value) ? ((spki.value as Asn1[])[0]?.value as Asn1[] | undefined)?.[0] : undefined;
  if (!tbs || !keyAlgorithm || keyAlgorithm.type !== asn1.Type.OID || asn1.derToOid(keyAlgorithm.value as string) === RSA_ENCRYPTION)
    return forge.pki.certificateFromAsn1(node);
  const publicKey = createPublicKey({ key: der(spki!), format: 'der', type: 'spki' });
  const children = [...(tbs.value as Asn1[])];
  children[spkiIndex(tbs)] = forge.pki.publicKeyToAsn1(PLACEHOLDER_KEY);
  const standIn = asn1.create(node.tagClass, node.type, true, [
    asn1.create(tbs.tagClass, tbs.type, true, children),
    ...(node.value as Asn1[]).slice(1),
  ]);
  const cert = forge.pki.certificateFromAsn1(standIn);
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  foreignKeys.set(cert, publicKey);
  return cert;
}

const RSA_ENCRYPTION = forge.pki.oids.rsaEncryption!;

export const certificateToPem = (cert: forge.pki.Certificate): string => forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');

/**
 * node-forge keeps a parsed UTF8String as its raw bytes but encodes one again when it writes a name,
 * so a Vietnamese name read from a certificate would come out double-encoded (and no longer match
 * its issuer). Parsed names are decoded here, once, so they behave like names the hub wrote.
 */
function decodeNames(cert: forge.pki.Certificate): forge.pki.Certificate {
  for (const attribute of [...cert.subject.attributes, ...cert.issuer.attributes]) {
    const field = attribute as unknown as { value: string; valueTagClass?: number };
    if (field.valueTagClass === forge.asn1.Type.UTF8) field.value = forge.util.decodeUtf8(field.value);
  }
  return cert;
}

export function certificateFromPem(pem: string): forge.pki.Certificate {
  // As node-forge's certificateFromPem: the first block.
  const block = forge.pem.decode(pem)[0];
  if (!block || !['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'].includes(block.type))
    throw new Error('Could not convert certificate from PEM; PEM header type is not "CERTIFICATE".');
  if (block.procType?.type === 'ENCRYPTED') throw new Error('Could not convert certificate from PEM; PEM is encrypted.');
  return decodeNames(parseCertificate(asn1.fromDer(block.body, true)));
}
/**
 * Certificates met in signatures, by their exact DER: the same seal, CA and TSA certificates come
 * with every signature, and parsing them (pure JS) and importing their keys dominated verification.
 * Keyed by the whole encoding, so a cached object is only ever returned for identical bytes.
 */
const parsedCertificates = new Map<string, forge.pki.Certificate>();
const PARSED_CERTIFICATES_KEPT = 512;

/** A certificate from its ASN.1 (as found in a CMS), parsed once per distinct encoding. */
export function certificateFromAsn1(node: forge.asn1.Asn1): forge.pki.Certificate {
  const key = forge.asn1.toDer(node).getBytes();
  let certificate = parsedCertificates.get(key);
  if (!certificate) {
    certificate = decodeNames(parseCertificate(node));
    if (parsedCertificates.size >= PARSED_CERTIFICATES_KEPT) parsedCertificates.delete(parsedCertificates.keys().next().value!);
    parsedCertificates.set(key, certificate);
  }
  return certificate;
}

const publicKeys = new WeakMap<forge.pki.Certificate, KeyObject>();

/** The certificate's public key as a native KeyObject (for verifying with node:crypto), imported once per certificate object. */
export function publicKeyOf(cert: forge.pki.Certificate): KeyObject {
  let key = foreignKeys.get(cert) ?? publicKeys.get(cert);
  if (!key) {
    key = createPublicKey(forge.pki.publicKeyToPem(cert.publicKey));
    publicKeys.set(cert, key);
  }
  return key;
}

/** The subject as one line, RFC 4514 order reversed for reading: "CN=…, O=…, C=VN". */
export function describeName(attributes: forge.pki.CertificateField[]): string {
  const short: Record<string, string> = {
    '2.5.4.3': 'CN',
    '2.5.4.10': 'O',
    '2.5.4.11': 'OU',
    '2.5.4.97': 'organizationIdentifier',
    '2.5.4.7': 'L',
    '2.5.4.8': 'ST',
    '2.5.4.6': 'C',
  };
  return [...attributes]
    .reverse()
    .map((a) => `${short[a.type ?? ''] ?? a.shortName ?? a.type}=${String(a.value)}`)
    .join(', ');
}

// ------------------------------------------------------------------ CRL (RFC 5280 §5)

/** CRL reason codes (RFC 5280 §5.3.1). */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;

export interface RevokedEntry {
  serialNumber: string;
  revokedAt: Date;
  reason: RevocationReason;
}

const extension = (id: string, value: Asn1) => seq([oid(id), octets(der(value))]);

export interface CrlRequest {
  issuer: { certificate: forge.pki.Certificate; privateKey: KeyObject };
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: readonly RevokedEntry[];
}

/** A signed v2 CRL in PEM, with the CRL number, the authority key identifier and each entry's reason. */
export function createCrl(request: CrlRequest): string {
  const signatureAlgorithm = algorithm(SHA256_WITH_RSA);
  const entries = request.revoked.map((entry) =>
    seq([
      integerFromHex(entry.serialNumber),
      time(entry.revokedAt),
      seq([extension('2.5.29.21', enumerated(REVOCATION_REASONS[entry.reason]))]),
    ]),
  );
  const authorityKeyId = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, request.issuer.certificate.generateSubjectKeyIdentifier().getBytes()),
  ]);
  const tbsItems: Asn1[] = [
    integer(1), // v2
    signatureAlgorithm,
    forge.pki.distinguishedNameToAsn1(request.issuer.certificate.subject),
    time(request.thisUpdate),
    time(request.nextUpdate),
  ];
  if (entries.length > 0) tbsItems.push(seq(entries));
  tbsItems.push(contextSpecific(0, [seq([extension('2.5.29.35', authorityKeyId), extension('2.5.29.20', integer(request.crlNumber))])]));
  const tbs = seq(tbsItems);
  const signature = signDer(asn1.toDer(tbs).getBytes(), request.issuer.privateKey);
  const base64 = der(seq([tbs, signatureAlgorithm, bitString(signature)])).toString('base64');
  return `-----BEGIN X509 CRL-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END X509 CRL-----\n`;
}
